import mongoose, { Schema } from 'mongoose';

/**
 * A tracker's key to one backlog's status API. Only the SHA-256 of the token is stored, as the
 * `_id`, so a request's token is found by one `_id` lookup and a database leak yields no usable
 * token. (A plain hash suffices: the token is 32 random bytes, so there is nothing to guess.)
 */
const apiTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    backlogId: { type: String, required: true },
    label: { type: String, required: true },
    createdByName: { type: String, default: '' },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
export const ApiToken = mongoose.model('BacklogApiToken', apiTokenSchema);
