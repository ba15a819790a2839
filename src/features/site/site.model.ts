import mongoose, { Schema } from 'mongoose';

// One document (_id "branding"): the site's name, logo and accent colour, chosen by an admin.
const brandingSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    accent: { type: String, required: true },
    logoFileId: { type: String, default: null },
    // Bumped by every save: the logo's and the theme's addresses carry it, so browsers fetch the new ones.
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);

export const SiteBranding = mongoose.model('SiteBranding', brandingSchema, 'site_branding');
