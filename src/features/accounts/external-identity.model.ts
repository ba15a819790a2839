import mongoose, { Schema } from 'mongoose';

// One person's account at an identity provider, linked to one local user. The _id is
// "<provider>:<subject>" so the sign-in lookup is by _id (the only fast lookup on the embedded engine).
const externalIdentitySchema = new Schema(
  {
    _id: { type: String, required: true },
    provider: { type: String, required: true },
    subject: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
  },
  { timestamps: true, versionKey: false },
);

export const ExternalIdentity = mongoose.model('ExternalIdentity', externalIdentitySchema);

export const identityKey = (provider: string, subject: string) => `${provider}:${subject}`;
