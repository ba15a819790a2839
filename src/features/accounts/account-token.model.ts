import mongoose, { Schema } from 'mongoose';

export const TOKEN_PURPOSES = ['verify-email', 'reset-password', 'link-identity'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

// The _id is the SHA-256 of the token sent by email: the token itself is never stored, and the
// lookup is by _id (the only fast lookup on the embedded engine).
const accountTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    purpose: { type: String, enum: TOKEN_PURPOSES, required: true },
    email: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    // 'link-identity' only: the provider account that the emailed link joins to this user.
    identity: { type: { provider: String, subject: String }, default: null, _id: false },
  },
  { timestamps: true, versionKey: false },
);

export const AccountToken = mongoose.model('AccountToken', accountTokenSchema);
