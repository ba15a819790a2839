import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { NotFound } from '../shared/errors.ts';
import { sanitizeFilename } from './filenames.ts';
import { acceptedType, type UploadKind } from './sniff.ts';
import { message } from '../i18n/i18n.ts';

/** What a file is for: kept with it, so an orphan can be traced to the feature that stored it. */
export type UploadPurpose = 'idea-attachment' | 'challenge-cover' | 'site-logo' | 'avatar';

export type StoredFile = { fileId: string; filename: string; size: number; mime: string };

export type StoredFileInfo = StoredFile & {
  kind: UploadKind | null;
  ownerId: string;
  purpose: string;
  uploadedAt: Date;
};

export type OpenedFile = StoredFileInfo & { stream: Readable };

/*
 * Files are kept in the GridFS format, bucket "uploads": an `uploads.files` document per file
 * (`_id`, `length`, `chunkSize`, `uploadDate`, `filename`, `metadata`) and `uploads.chunks`
 * documents (`files_id`, `n`, `data`), so `new mongoose.mongo.GridFSBucket(db, { bucketName:
 * 'uploads' })`, mongofiles and mongodump read them as they are.
 *
 * One difference from what GridFSBucket writes: a chunk's `_id` is `<fileId>:<n>` rather than a
 * random ObjectId (GridFS readers never use it). GridFSBucket reads a file with
 * `find({files_id}).sort({n: 1})` and deletes with `deleteMany({files_id})`, which the embedded
 * engine answers by scanning every chunk of every file (measured here with 200 MB stored: 6.9 s
 * to read a 300 kB file, 6.6 s to delete one, holding the engine's write lock). Reaching each
 * chunk by `_id` keeps both at a few milliseconds per chunk on FerretDB and on MongoDB.
 */
const FILES = 'uploads.files';
const CHUNKS = 'uploads.chunks';
const CHUNK_SIZE = 255 * 1024; // GridFS's default chunk size

type FileDocument = {
  _id: mongoose.mongo.ObjectId;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  filename: string;
  metadata?: { mime?: unknown; kind?: unknown; ownerId?: unknown; purpose?: unknown };
};
type ChunkDocument = { _id: string; files_id: mongoose.mongo.ObjectId; n: number; data: mongoose.mongo.Binary };

const indexed = new WeakSet<mongoose.mongo.Db>();

function collections() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected.');
  return { db, files: db.collection<FileDocument>(FILES), chunks: db.collection<ChunkDocument>(CHUNKS) };
}

// The indexes GridFSBucket creates on its first upload, so other GridFS readers are served by an
// index on MongoDB. Our own reads and deletes go by `_id`.
async function ensureIndexes(db: mongoose.mongo.Db) {
  if (indexed.has(db)) return;
  await db.collection(FILES).createIndex({ filename: 1, uploadDate: 1 });
  await db.collection(CHUNKS).createIndex({ files_id: 1, n: 1 }, { unique: true });
  indexed.add(db);
}

function parseFileId(fileId: unknown): mongoose.mongo.ObjectId | null {
  return typeof fileId === 'string' && /^[0-9a-f]{24}$/i.test(fileId) ? new mongoose.mongo.ObjectId(fileId) : null;
}

const chunkId = (fileId: mongoose.mongo.ObjectId, n: number) => `${fileId.toHexString()}:${n}`;
const chunkCount = (length: number, chunkSize: number) => Math.ceil(length / chunkSize);

/**
 * Stores a file that `sniffUpload` accepted, under a sanitised name whose extension matches its
 * type. `mime` must be the sniffed type: anything off the allow-list is a programming error.
 * The chunks are written first and the files document last, so a file is never seen half-written.
 */
export async function storeFile(input: { buffer: Buffer; filename: string; mime: string; ownerId: string; purpose: UploadPurpose }): Promise<StoredFile> {
  const type = acceptedType(input.mime);
  if (!type) throw new Error(`storeFile: ${input.mime} is not an accepted upload type (sniff the file first)`);
  const { db, files, chunks } = collections();
  await ensureIndexes(db);

  const fileId = new mongoose.mongo.ObjectId();
  const filename = sanitizeFilename(input.filename, type.extension);
  const count = chunkCount(input.buffer.length, CHUNK_SIZE);
  try {
    // One chunk per write: the embedded engine serialises writes, so others are not held up behind a whole file.
    for (let n = 0; n < count; n++) {
      const data = input.buffer.subarray(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE);
      await chunks.insertOne({ _id: chunkId(fileId, n), files_id: fileId, n, data: new mongoose.mongo.Binary(data) });
    }
    await files.insertOne({
      _id: fileId,
      length: input.buffer.length,
      chunkSize: CHUNK_SIZE,
      uploadDate: new Date(),
      filename,
      metadata: { mime: type.mime, kind: type.kind, ownerId: input.ownerId, purpose: input.purpose },
    });
  } catch (error) {
    await deleteChunks(fileId, count).catch(() => undefined);
    throw error;
  }
  return { fileId: fileId.toHexString(), filename, size: input.buffer.length, mime: type.mime };
}

function bytesOf(data: unknown): Buffer | null {
  const view = data instanceof mongoose.mongo.Binary ? data.value() : data instanceof Uint8Array ? data : null;
  return view && Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Reads the chunks in order, one ahead of the consumer; fails on a missing or damaged chunk. */
function chunkStream(file: FileDocument): Readable {
  const { chunks } = collections();
  const count = chunkCount(file.length, file.chunkSize);
  const read = async (n: number) => {
    const chunk = await chunks.findOne({ _id: chunkId(file._id, n) });
    const bytes = chunk ? bytesOf(chunk.data) : null;
    const expected = n === count - 1 ? file.length - n * file.chunkSize : file.chunkSize;
    if (!chunk || !bytes || chunk.n !== n || bytes.length !== expected) {
      throw new Error(`uploads: chunk ${n} of file ${file._id.toHexString()} is missing or damaged`);
    }
    return bytes;
  };
  return Readable.from(
    (async function* () {
      let next = count > 0 ? read(0) : null;
      for (let n = 0; next; n++) {
        const current = next;
        next = n + 1 < count ? read(n + 1) : null;
        next?.catch(() => undefined); // awaited on the next turn; not unhandled if the consumer stops first
        yield await current;
      }
    })(),
    { objectMode: false },
  );
}

/** A stored file's details and a stream of its bytes. `NotFound` when it is missing or the id is malformed. */
export async function openFile(fileId: string): Promise<OpenedFile> {
  const id = parseFileId(fileId);
  const file = id && (await collections().files.findOne({ _id: id }));
  if (!file) throw new NotFound(message('ideaChecks.upload.fileNotFound'));
  const metadata = file.metadata ?? {};
  const mime = typeof metadata.mime === 'string' ? metadata.mime : 'application/octet-stream';
  return {
    fileId: file._id.toHexString(),
    filename: file.filename,
    size: file.length,
    mime,
    kind: acceptedType(mime)?.kind ?? null,
    ownerId: String(metadata.ownerId ?? ''),
    purpose: String(metadata.purpose ?? ''),
    uploadedAt: file.uploadDate,
    stream: chunkStream(file),
  };
}

async function deleteChunks(fileId: mongoose.mongo.ObjectId, count: number) {
  const { chunks } = collections();
  for (let n = 0; n < count; n++) await chunks.deleteOne({ _id: chunkId(fileId, n) });
}

/**
 * Deletes a stored file: its files document first (so it stops being served at once), then its
 * chunks. Idempotent: false when there was no such file.
 */
export async function deleteFile(fileId: string): Promise<boolean> {
  const id = parseFileId(fileId);
  if (!id) return false;
  const { files } = collections();
  const file = await files.findOneAndDelete({ _id: id });
  if (!file) return false;
  await deleteChunks(id, chunkCount(file.length, file.chunkSize));
  return true;
}
