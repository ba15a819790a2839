// What the uploads module offers the features (idea attachments, challenge covers).
export { deleteFile, openFile, storeFile, type OpenedFile, type StoredFile, type StoredFileInfo, type UploadPurpose } from './file-store.ts';
export { contentDisposition, sanitizeFilename } from './filenames.ts';
export { sendStoredFile, type SendFileOptions } from './send-file.ts';
export { acceptedType, sniffUpload, type SniffedType, type UploadKind } from './sniff.ts';
export { megabytes, mountUploads, uploadedFiles, uploadMiddleware, type UploadedFile, type UploadOptions, type UploadRoute } from './upload-middleware.ts';
