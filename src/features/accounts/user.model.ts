import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { ROLES } from '../../shared/actor.ts';

export const CUSTOMER_TIERS = ['free', 'standard', 'premium', 'enterprise'] as const;

const profileSchema = new Schema(
  {
    organisation: { type: String, default: '' },
    segment: { type: String, default: '' },
    region: { type: String, default: '' },
    customerTier: { type: String, default: '' },
    skills: { type: [String], default: [] },
  },
  { _id: false },
);

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    // Empty for an account made by single sign-on: no password matches it until one is set by a reset link.
    passwordHash: { type: String, default: '' },
    roles: { type: [String], enum: ROLES, default: ['member'] },
    emailVerifiedAt: { type: Date, default: null },
    suspendedAt: { type: Date, default: null },
    suspendedReason: { type: String, default: '' },
    // Set when the person deleted their account (or an admin did it for them): the document is an anonymous shell.
    deletedAt: { type: Date, default: null },
    timezone: { type: String, default: 'UTC' },
    // The person's language ('' : their browser's, else the site's).
    locale: { type: String, default: '' },
    profile: { type: profileSchema, default: () => ({}) },
    // The stored upload of their profile photo (purpose 'avatar'), or null: the initials are shown instead.
    avatarFileId: { type: String, default: null },
    // Per notification kind: 'off', 'in-app', 'email' (now) or 'digest' (daily); missing = in-app.
    notificationPrefs: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true },
);

export type UserDocument = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };

export const User = mongoose.model('User', userSchema);
