import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { NotFound } from '../../src/shared/errors.ts';
import { deleteFile, openFile, storeFile } from '../../src/uploads/file-store.ts';
import { useDatabaseInSuite } from '../helpers/database.ts';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A PDF-looking buffer of a given size with random contents, so misplaced chunks would show. */
function pdfOfSize(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
}

describe('the uploads file store (GridFS format, bucket "uploads")', () => {
  useDatabaseInSuite();

  it('stores a file, streams back the same bytes, deletes it, and then does not find it', async () => {
    const buffer = pdfOfSize(600_000); // three chunks, the last one partial
    const stored = await storeFile({ buffer, filename: 'C:\\fakepath\\Q3 plan.PDF', mime: 'application/pdf', ownerId: 'user-1', purpose: 'idea-attachment' });
    assert.match(stored.fileId, /^[0-9a-f]{24}$/);
    const { fileId: _, ...rest } = stored;
    assert.deepEqual(rest, { filename: 'Q3 plan.pdf', size: 600_000, mime: 'application/pdf' });

    const opened = await openFile(stored.fileId);
    assert.equal(opened.filename, 'Q3 plan.pdf');
    assert.equal(opened.size, 600_000);
    assert.equal(opened.mime, 'application/pdf');
    assert.equal(opened.kind, 'document');
    assert.equal(opened.ownerId, 'user-1');
    assert.equal(opened.purpose, 'idea-attachment');
    assert.ok(opened.uploadedAt instanceof Date);
    assert.ok((await bytesOf(opened.stream)).equals(buffer));

    assert.equal(await deleteFile(stored.fileId), true);
    await assert.rejects(openFile(stored.fileId), NotFound);
    assert.equal(await deleteFile(stored.fileId), false, 'deleting twice is harmless');
    const chunksLeft = await mongoose.connection.collection('uploads.chunks').countDocuments({ files_id: new mongoose.mongo.ObjectId(stored.fileId) });
    assert.equal(chunksLeft, 0, 'the chunks are gone too');
  });

  it('answers NotFound for a malformed or unknown id, never a database error', async () => {
    for (const id of ['nope', '', '../uploads.files', '{"$gt":""}', new mongoose.mongo.ObjectId().toHexString()]) {
      await assert.rejects(openFile(id), NotFound, id);
      assert.equal(await deleteFile(id), false);
    }
  });

  it('writes standard GridFS, so GridFSBucket (and mongofiles) read our files as they are', async () => {
    const buffer = pdfOfSize(300_000);
    const stored = await storeFile({ buffer, filename: 'plan.pdf', mime: 'application/pdf', ownerId: 'user-2', purpose: 'idea-attachment' });
    const db = mongoose.connection.db;
    assert.ok(db);
    const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: 'uploads' });
    const [file] = await bucket.find({ _id: new mongoose.mongo.ObjectId(stored.fileId) }).toArray();
    assert.equal(file?.filename, 'plan.pdf');
    assert.equal(file?.metadata?.mime, 'application/pdf');
    assert.ok((await bytesOf(bucket.openDownloadStream(new mongoose.mongo.ObjectId(stored.fileId)))).equals(buffer));
    await deleteFile(stored.fileId);
  });

  it('round-trips files smaller than, exactly and just over one chunk', async () => {
    for (const size of [10, 255 * 1024, 255 * 1024 + 1]) {
      const buffer = pdfOfSize(size);
      const stored = await storeFile({ buffer, filename: 'x.pdf', mime: 'application/pdf', ownerId: 'u', purpose: 'idea-attachment' });
      assert.ok((await bytesOf((await openFile(stored.fileId)).stream)).equals(buffer), `size ${size}`);
      await deleteFile(stored.fileId);
    }
  });

  it('fails the stream, rather than sending a short file, when a chunk is missing', async () => {
    const stored = await storeFile({ buffer: pdfOfSize(600_000), filename: 'x.pdf', mime: 'application/pdf', ownerId: 'u', purpose: 'idea-attachment' });
    await mongoose.connection.collection<{ _id: string }>('uploads.chunks').deleteOne({ _id: `${stored.fileId}:1` });
    await assert.rejects(bytesOf((await openFile(stored.fileId)).stream), /chunk 1 of file .* is missing/);
    await deleteFile(stored.fileId);
  });

  it('refuses to store a type that did not come from sniffing', async () => {
    await assert.rejects(storeFile({ buffer: Buffer.from('<svg/>'), filename: 'x.svg', mime: 'image/svg+xml', ownerId: 'u', purpose: 'idea-attachment' }), /not an accepted upload type/);
  });
});
