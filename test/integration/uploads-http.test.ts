import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import mongoose from 'mongoose';
import { createLogger } from '../../src/shared/logger.ts';
import { deleteFile, mountUploads, openFile, sendStoredFile, sniffUpload, storeFile, uploadedFiles, uploadMiddleware } from '../../src/uploads/index.ts';
import { errorHandler } from '../../src/web/error-handler.ts';
import { csrfProtection } from '../../src/web/security.ts';
import { useTestDatabase } from '../helpers/database.ts';
import { TestClient } from '../helpers/http.ts';
import { ELF, PDF, TINY_PNG } from '../helpers/files.ts';

const MB = 1024 * 1024;
const JSON_ACCEPT = { accept: 'application/json' };

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };
type StoredBody = { stored: Array<{ fileId: string; filename: string; size: number; mime: string }>; body: Record<string, unknown> };

function blob(bytes: Buffer, type = 'application/octet-stream') {
  return new Blob([new Uint8Array(bytes)], { type });
}

function form(files: Array<[name: string, bytes: Buffer, type?: string]>, field = 'attachments', fields: Record<string, string> = {}) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  for (const [name, bytes, type] of files) data.append(field, blob(bytes, type), name);
  return data;
}

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }));
  });
}

async function stop(server: Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('uploading and downloading files over HTTP', () => {
  let closeDatabase: () => Promise<void>;
  let server: Server;
  let url: string;

  before(async () => {
    closeDatabase = await useTestDatabase();
    // What a feature's routes do: parse, sniff each file, store it; send a stored file after checking who may see it.
    const app = express();
    app.post('/upload', uploadMiddleware({ field: 'attachments', maxFiles: 10, maxFileBytes: 1 * MB }), async (req, res) => {
      const stored = [];
      for (const file of uploadedFiles(req)) {
        const type = await sniffUpload(file.buffer, file.originalname, { field: 'attachments' });
        stored.push(await storeFile({ buffer: file.buffer, filename: file.originalname, mime: type.mime, ownerId: 'user-1', purpose: 'idea-attachment' }));
      }
      res.json({ stored, body: { ...req.body } });
    });
    app.all('/files/:id', async (req, res) => {
      await sendStoredFile(res, await openFile(String(req.params.id)), { inlineImages: req.query.inline === '1', maxAgeSeconds: 600 });
    });
    app.use(errorHandler(createLogger('silent')));
    ({ url, server } = await listen(app));
  });
  after(async () => {
    await stop(server);
    await closeDatabase();
  });

  const post = (body: FormData, path = '/upload') => fetch(`${url}${path}`, { method: 'POST', body, headers: { accept: 'application/json' } });
  const upload = async (files: Array<[string, Buffer, string?]>, fields: Record<string, string> = {}) => {
    const response = await post(form(files, 'attachments', fields));
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as StoredBody).stored;
  };

  it('stores what it accepts, under clean names with the sniffed extension, next to the other fields', async () => {
    const response = await post(
      form(
        [
          ['C:\\fakepath\\résumé.pdf', PDF, 'application/pdf'],
          ['pixel.jpeg', TINY_PNG, 'image/jpeg'],
          ['notes.md', Buffer.from('# Notes\n')],
        ],
        'attachments',
        { title: 'My idea' },
      ),
    );
    assert.equal(response.status, 200);
    const { stored, body } = (await response.json()) as StoredBody;
    assert.deepEqual(
      stored.map(({ filename, mime, size }) => ({ filename, mime, size })),
      [
        { filename: 'résumé.pdf', mime: 'application/pdf', size: PDF.length },
        { filename: 'pixel.png', mime: 'image/png', size: TINY_PNG.length },
        { filename: 'notes.md', mime: 'text/markdown', size: 8 },
      ],
    );
    assert.deepEqual(body, { title: 'My idea' });
  });

  it('answers a file over the size limit with 413, naming the limit in MB', async () => {
    const response = await post(form([['big.pdf', Buffer.concat([PDF, Buffer.alloc(MB + 1 - PDF.length)])]]));
    assert.equal(response.status, 413);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.message, '“big.pdf” is larger than 1 MB, the most we accept for one file.');
  });

  it('accepts a file of exactly the limit', async () => {
    const [stored] = await upload([['exact.pdf', Buffer.concat([PDF, Buffer.alloc(MB - PDF.length)])]]);
    assert.equal(stored?.size, MB);
    await deleteFile(stored!.fileId);
  });

  it('answers 11 files when 10 are allowed with 400 and the message on the field', async () => {
    const before = await mongoose.connection.collection('uploads.files').countDocuments();
    const response = await post(form(Array.from({ length: 11 }, (_, i) => [`note-${i}.txt`, Buffer.from(`note ${i}`)] as [string, Buffer])));
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.code, 'invalid');
    assert.deepEqual(error.fields, { attachments: 'Attach at most 10 files.' });
    assert.equal(error.message, 'Attach at most 10 files.');
    assert.equal(await mongoose.connection.collection('uploads.files').countDocuments(), before, 'nothing was stored');
  });

  it('takes 10 files when 10 are allowed', async () => {
    const stored = await upload(Array.from({ length: 10 }, (_, i) => [`note-${i}.txt`, Buffer.from(`note ${i}`)] as [string, Buffer]));
    assert.equal(stored.length, 10);
    await Promise.all(stored.map((file) => deleteFile(file.fileId)));
  });

  it('answers a file in another field with 400', async () => {
    const response = await post(form([['x.pdf', PDF]], 'avatar'));
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'unexpected_file');
  });

  it('refuses bracketed field names instead of nesting them into objects', async () => {
    const response = await post(form([], 'attachments', { 'email[$ne]': 'x' }));
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'bad_form');
  });

  it('refuses a text field over the field size limit with 413', async () => {
    const response = await post(form([], 'attachments', { title: 'x'.repeat(100 * 1024 + 1) }));
    assert.equal(response.status, 413);
  });

  it('refuses an executable named .png with 400 naming the file, and stores nothing', async () => {
    const before = await mongoose.connection.collection('uploads.files').countDocuments();
    const response = await post(form([['photo.png', ELF, 'image/png']]));
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as ErrorBody;
    assert.match(error.fields?.attachments ?? '', /“photo\.png” is not a type of file we accept/);
    assert.equal(await mongoose.connection.collection('uploads.files').countDocuments(), before);
  });

  it('answers a body that is not valid multipart with 400', async () => {
    const response = await fetch(`${url}/upload`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="attachments"; filename="a.txt"\r\n\r\nunterminated',
    });
    assert.equal(response.status, 400);
  });

  it('sends a PDF as a download: its type, nosniff, attachment with the UTF-8 name, a sandbox and private caching', async () => {
    const [pdf] = await upload([['Plan für Q3.pdf', PDF]]);
    const response = await fetch(`${url}/files/${pdf!.fileId}?inline=1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="Plan f_r Q3.pdf"; filename*=UTF-8''Plan%20f%C3%BCr%20Q3.pdf`);
    assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    assert.equal(response.headers.get('cache-control'), 'private, max-age=600');
    assert.equal(response.headers.get('content-length'), String(PDF.length));
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(PDF));
  });

  it('shows an image inline only when asked to, and still with nosniff and the sandbox', async () => {
    const [png] = await upload([['cover.png', TINY_PNG]]);
    const inline = await fetch(`${url}/files/${png!.fileId}?inline=1`);
    assert.equal(inline.headers.get('content-type'), 'image/png');
    assert.match(inline.headers.get('content-disposition') ?? '', /^inline; filename="cover\.png"/);
    assert.equal(inline.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(inline.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    assert.ok(Buffer.from(await inline.arrayBuffer()).equals(TINY_PNG));
    const download = await fetch(`${url}/files/${png!.fileId}`);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; /);
    await download.arrayBuffer();
  });

  it('sends text as a UTF-8 download, never inline', async () => {
    const [notes] = await upload([['notes.md', Buffer.from('# Café\n')]]);
    const response = await fetch(`${url}/files/${notes!.fileId}?inline=1`);
    assert.equal(response.headers.get('content-type'), 'text/markdown; charset=utf-8');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; /);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await response.text(), '# Café\n');
  });

  it('answers HEAD with the headers and no body', async () => {
    const [pdf] = await upload([['head.pdf', PDF]]);
    const response = await fetch(`${url}/files/${pdf!.fileId}`, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), String(PDF.length));
    assert.equal(response.headers.get('content-type'), 'application/pdf');
  });

  it('answers a missing, deleted or malformed file id with 404', async () => {
    const [pdf] = await upload([['gone.pdf', PDF]]);
    await deleteFile(pdf!.fileId);
    for (const id of [pdf!.fileId, 'not-an-id', new mongoose.mongo.ObjectId().toHexString()]) {
      const response = await fetch(`${url}/files/${id}`, { headers: { accept: 'application/json' } });
      assert.equal(response.status, 404, id);
      assert.equal(response.headers.get('content-disposition'), null);
    }
  });

  it('answers an unreadable file with an error, not a download with the file headers', async () => {
    const [pdf] = await upload([['broken.pdf', PDF]]);
    await mongoose.connection.collection<{ _id: string }>('uploads.chunks').deleteOne({ _id: `${pdf!.fileId}:0` });
    const response = await fetch(`${url}/files/${pdf!.fileId}`, { headers: { accept: 'application/json' } });
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('content-disposition'), null);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'internal');
  });
});

describe('CSRF on multipart forms: the token travels in the body, never in the address bar', () => {
  let server: Server;
  let url: string;
  let reachedUpload = 0;

  before(async () => {
    // The app's order: sign-in, then each upload route's parser, then the CSRF check, then the routes.
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use((req, _res, next) => {
      if (req.headers['x-signed-in']) req.user = { id: 'user-1' } as Express.User;
      next();
    });
    mountUploads(app, [{ paths: ['/upload'], parse: uploadMiddleware({ field: 'attachments', maxFiles: 2, maxFileBytes: MB }) }]);
    app.use(...csrfProtection({ secret: 'test-secret-that-is-long-enough-0123456789', https: false }));
    app.get('/form', (_req, res) => {
      res.json({ token: (res.locals.csrfToken as () => string)() });
    });
    app.post('/upload', (req, res) => {
      reachedUpload++;
      res.json({ files: uploadedFiles(req).length });
    });
    app.post('/plain', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(errorHandler(createLogger('silent')));
    ({ url, server } = await listen(app));
  });
  after(() => stop(server));

  async function clientWithToken() {
    const client = new TestClient(url);
    const { token } = JSON.parse((await client.get('/form')).body_) as { token: string };
    return { client, token };
  }

  const SIGNED_IN = { ...JSON_ACCEPT, 'x-signed-in': '1' };

  it('accepts a multipart form whose token is among its fields', async () => {
    const { client, token } = await clientWithToken();
    const response = await client.request('/upload', { method: 'POST', body: form([['a.pdf', PDF]], 'attachments', { _csrf: token }), headers: SIGNED_IN });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body_), { files: 1 });
  });

  it('refuses a multipart form without a token', async () => {
    const { client } = await clientWithToken();
    const response = await client.request('/upload', { method: 'POST', body: form([['a.pdf', PDF]]), headers: SIGNED_IN });
    assert.equal(response.status, 403);
  });

  it('never takes the token from the query string, multipart or not', async () => {
    const { client, token } = await clientWithToken();
    const multipart = await client.request(`/upload?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form([['a.pdf', PDF]]), headers: SIGNED_IN });
    assert.equal(multipart.status, 403);
    const plain = await client.post(`/plain?_csrf=${encodeURIComponent(token)}`, { title: 'x' }, SIGNED_IN);
    assert.equal(plain.status, 403);
  });

  it('refuses a multipart form sent to an address that takes no files: its body is never read, so its token is not seen', async () => {
    const { client, token } = await clientWithToken();
    const response = await client.request('/plain', { method: 'POST', body: form([['a.pdf', PDF]], 'attachments', { _csrf: token }), headers: SIGNED_IN });
    assert.equal(response.status, 403);
  });

  it("does not read a signed-out visitor's files", async () => {
    const { client, token } = await clientWithToken();
    const before = reachedUpload;
    const response = await client.request('/upload', { method: 'POST', body: form([['a.pdf', PDF]], 'attachments', { _csrf: token }), headers: JSON_ACCEPT });
    assert.equal(response.status, 403);
    assert.equal(reachedUpload, before);
  });
});
