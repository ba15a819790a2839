import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { deleteFile, openFile } from '../../uploads/index.ts';
import { AccountToken } from './account-token.model.ts';
import { ExternalIdentity } from './external-identity.model.ts';
import { User } from './user.model.ts';

/** The profile and how the person signs in (never the password hash). */
export async function accountData(userId: string) {
  const user = await User.findById(userId).lean();
  if (!user) return null;
  const identities = await ExternalIdentity.find({ userId: user._id }).lean();
  return {
    photo: user.avatarFileId ? await photoData(user.avatarFileId) : null,
    id: userId,
    name: user.name,
    email: user.email,
    roles: user.roles,
    timezone: user.timezone,
    profile: user.profile,
    notificationPreferences: user.notificationPrefs,
    emailVerifiedAt: user.emailVerifiedAt,
    createdAt: (user as { createdAt?: Date }).createdAt,
    hasPassword: Boolean(user.passwordHash),
    singleSignOn: identities.map((identity) => ({ provider: identity.provider, linkedAt: (identity as { createdAt?: Date }).createdAt })),
  };
}

/** The profile photo's details and where the signed-in person can fetch it (the file itself is not copied into the archive). */
async function photoData(fileId: string) {
  try {
    const file = await openFile(fileId);
    file.stream.destroy();
    return { address: `/avatars/${fileId}`, type: file.mime, bytes: file.size, uploadedAt: file.uploadedAt };
  } catch {
    return null; // referred to but gone: nothing to list
  }
}

/**
 * Erases the profile and every way to sign in. The user document stays as an anonymous shell
 * ("Deleted user", an address that cannot receive mail) so the ideas, comments, votes and
 * comparisons that refer to its id keep counting without naming anyone.
 */
export async function eraseAccount(person: ErasedPerson): Promise<void> {
  const id = new mongoose.Types.ObjectId(person.userId);
  const photo = (await User.findById(id, { avatarFileId: 1 }).lean())?.avatarFileId;
  await User.replaceOne(
    { _id: id },
    { _id: id, name: DELETED_USER, email: `deleted-${person.userId}@deleted.invalid`, passwordHash: '', roles: ['member'], suspendedAt: new Date(), suspendedReason: '', deletedAt: new Date() },
  );
  await ExternalIdentity.deleteMany({ userId: id });
  await AccountToken.deleteMany({ userId: id });
  // After the shell replaced the document, so no page refers to the photo while it goes.
  if (photo) await deleteFile(photo);
}
