import { message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Invalid, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { deleteFile, megabytes, openFile, sniffUpload, storeFile, type OpenedFile, type UploadedFile } from '../../uploads/index.ts';
import { User } from './user.model.ts';

/** The largest photo accepted: a photo from a phone, not a poster. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/** The form's file field. */
export const AVATAR_FIELD = 'photo';

// Photos only: a GIF may animate beside every comment, and documents are never faces.
const PHOTO_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);
export const AVATAR_TYPES_SENTENCE = `Choose a PNG, JPEG or WebP image of at most ${megabytes(AVATAR_MAX_BYTES)}.`;

/**
 * A person's optional profile photo: stored through the sniffed-upload path, referred to by the
 * user document, and deleted with the account. Only the accounts feature writes the user.
 */
export function createAvatars(deps: { events: EventBus }) {
  return {
    /** Stores the photo and points the account at it; the previous photo is deleted after. */
    async set(actor: Actor, file: UploadedFile | undefined): Promise<void> {
      if (!file) throw new Invalid({ [AVATAR_FIELD]: message('accounts.problems.choosePhoto') });
      const type = await sniffUpload(file.buffer, file.originalname, { field: AVATAR_FIELD });
      if (!PHOTO_TYPES.has(type.mime)) throw new Invalid({ [AVATAR_FIELD]: `This file is not a photo we accept. ${AVATAR_TYPES_SENTENCE}` });
      // Stored as "avatar": the name the person's file had may hold their own name.
      const stored = await storeFile({ buffer: file.buffer, filename: 'avatar', mime: type.mime, ownerId: actor.id, purpose: 'avatar' });
      const before = await User.findOneAndUpdate({ _id: actor.id }, { $set: { avatarFileId: stored.fileId } }).lean();
      if (!before) {
        await deleteFile(stored.fileId);
        throw new NotFound();
      }
      if (before.avatarFileId) await deleteFile(before.avatarFileId);
      deps.events.emit('user.profile_changed', { userId: actor.id });
    },

    /** Back to the initials: the reference is cleared, then the file deleted. */
    async remove(actor: Actor): Promise<void> {
      const before = await User.findOneAndUpdate({ _id: actor.id }, { $set: { avatarFileId: null } }).lean();
      if (before?.avatarFileId) await deleteFile(before.avatarFileId);
      deps.events.emit('user.profile_changed', { userId: actor.id });
    },

    /** The photo with this id, only if it is a profile photo (never another upload reached by its id). */
    async open(fileId: string): Promise<OpenedFile> {
      const file = await openFile(fileId);
      if (file.purpose !== 'avatar') {
        file.stream.destroy();
        throw new NotFound();
      }
      return file;
    },
  };
}

export type Avatars = ReturnType<typeof createAvatars>;
