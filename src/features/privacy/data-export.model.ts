import mongoose, { Schema } from 'mongoose';

/**
 * A person's "Download my data" archive, one per person (the _id is their user id): built in the
 * background, `done` of `total` parts so far; downloadable with `key` until `expiresAt`.
 */
const dataExportSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    status: { type: String, enum: ['building', 'ready', 'failed'], default: 'building' },
    done: { type: Number, default: 0 },
    total: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
    // The JSON text: kept as a string so keys from user content ("$", ".") never meet the query language.
    archive: { type: String, default: null },
  },
  { versionKey: false },
);

export const DataExport = mongoose.model('DataExport', dataExportSchema);
