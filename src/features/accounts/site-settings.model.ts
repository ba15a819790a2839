import mongoose, { Schema } from 'mongoose';

// One document (_id "sign-in"): how people may sign in, chosen by an admin.
const signInSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    passwordSignIn: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
);

export const SignInSettings = mongoose.model('SignInSettings', signInSettingsSchema);
