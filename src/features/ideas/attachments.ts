import { Invalid } from '../../shared/errors.ts';
import { deleteFile, megabytes, sniffUpload, storeFile, type StoredFile, type UploadedFile } from '../../uploads/index.ts';
import { message } from '../../i18n/i18n.ts';

export const ATTACHMENT_LIMITS = { filesPerRequest: 10, filesPerIdea: 10, bytesPerFile: 10 * 1024 * 1024, bytesPerIdea: 25 * 1024 * 1024 };

type Attachment = { fileId: string; filename?: string | null; size?: number | null; mime?: string | null };

/**
 * Checks new files against their content and the idea's limits before anything is stored, so a
 * bad file refuses the whole save and nothing is kept half-way.
 */
export async function checkNewAttachments(files: UploadedFile[], kept: Attachment[]) {
  const sniffed = [];
  for (const file of files) sniffed.push({ file, type: await sniffUpload(file.buffer, file.originalname, { field: 'attachments' }) });
  if (kept.length + files.length > ATTACHMENT_LIMITS.filesPerIdea) {
    throw new Invalid({ attachments: message('ideaChecks.tooManyAttachments', { max: ATTACHMENT_LIMITS.filesPerIdea }) });
  }
  const total = [...kept.map((a) => a.size ?? 0), ...files.map((f) => f.size)].reduce((sum, size) => sum + size, 0);
  if (total > ATTACHMENT_LIMITS.bytesPerIdea) {
    throw new Invalid({ attachments: message('ideaChecks.attachmentsTooLarge', { size: megabytes(ATTACHMENT_LIMITS.bytesPerIdea) }) });
  }
  return sniffed;
}

/** Stores checked files; if one fails, the ones already stored are removed again. */
export async function storeAttachments(checked: Awaited<ReturnType<typeof checkNewAttachments>>, ownerId: string): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  try {
    for (const { file, type } of checked) {
      stored.push(await storeFile({ buffer: file.buffer, filename: file.originalname, mime: type.mime, ownerId, purpose: 'idea-attachment' }));
    }
    return stored;
  } catch (error) {
    await discardAttachments(stored);
    throw error;
  }
}

export async function discardAttachments(files: Array<{ fileId: string }>): Promise<void> {
  await Promise.all(files.map((file) => deleteFile(file.fileId).catch(() => false)));
}
