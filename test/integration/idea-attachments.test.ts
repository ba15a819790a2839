import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { ELF, PDF, SVG_WITH_SCRIPT, TINY_PNG } from '../helpers/files.ts';
import { csrfFrom, TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('idea attachments', () => {
  let app: TestApp;
  let challengeId: string;
  let staff: Actor;
  let member: TestClient;
  before(async () => {
    app = await startTestApp();
    ({ id: challengeId, staff } = await createChallenge(app, { phase: 'open' }));
    member = await signedInClient(app.url, await createUser());
  });
  after(() => app.close());

  /** Posts the idea form as a browser does: multipart, with the CSRF token among its fields. */
  async function postIdea(fields: Record<string, string>, files: Array<[string, Buffer]>, action = `/challenges/${challengeId}/ideas`) {
    const token = csrfFrom((await member.get(`/challenges/${challengeId}/ideas/new`)).body_);
    const form = new FormData();
    for (const [name, value] of Object.entries({ _csrf: token, ...fields })) form.append(name, value);
    for (const [name, bytes] of files) form.append('attachments', new Blob([new Uint8Array(bytes)]), name);
    return member.request(action, { method: 'POST', body: form });
  }

  it('stores attachments with a submitted idea and serves them safely to those who may see it', async () => {
    const created = await postIdea(ideaForm({ title: 'With files' }), [
      ['plan.pdf', PDF],
      ['sketch.png', TINY_PNG],
    ]);
    assert.equal(created.status, 303);
    const ideaPath = created.headers.get('location') ?? '';
    const page = await member.get(ideaPath);
    const previews = [...page.body_.matchAll(/<img src="(\/ideas\/[0-9a-f]{24}\/attachments\/[0-9a-f]{24})"/g)].map((match) => match[1]);
    const links = [...page.body_.matchAll(/href="(\/ideas\/[0-9a-f]{24}\/attachments\/[0-9a-f]{24})">([^<]+)</g)].map((match) => ({ href: match[1]!, name: match[2]! }));
    assert.deepEqual(
      links.map((link) => link.name),
      ['plan.pdf', 'sketch.png'],
    );
    assert.deepEqual(previews, [links[1]!.href], 'the image shows as a preview, the PDF does not');

    const visitor = new TestClient(app.url);
    const pdf = await visitor.request(links[0]!.href);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.equal(pdf.headers.get('x-content-type-options'), 'nosniff');
    const png = await visitor.request(links[1]!.href);
    assert.match(png.headers.get('content-disposition') ?? '', /^inline;/);
    assert.equal(png.headers.get('content-type'), 'image/png');
  });

  it("shows the first image as a thumbnail on the idea's card on the challenge page, and none without an image", async () => {
    const ids: string[] = [];
    for (const [title, files] of [
      [
        'Pictured',
        [
          ['plan.pdf', PDF],
          ['sketch.png', TINY_PNG],
        ],
      ],
      ['Plain', [['plan.pdf', PDF]]],
    ] as Array<[string, Array<[string, Buffer]>]>) {
      const ideaId = ((await postIdea(ideaForm({ title }), files)).headers.get('location') ?? '').split('/')[2]!;
      await approveIdea(app, staff, challengeId, ideaId);
      ids.push(ideaId);
    }
    const [pictured, plain] = ids;
    const imageId = (await Idea.findById(pictured).lean())?.attachments.find((file) => file.filename === 'sketch.png')?.fileId;
    const visitor = new TestClient(app.url);
    const page = (await visitor.get(`/challenges/${challengeId}`)).body_;
    assert.match(page, new RegExp(`id="idea-${pictured}" class="idea-list__item">\\s*<img class="idea-list__thumb" src="/ideas/${pictured}/attachments/${imageId}" alt=""`));
    assert.match(page, new RegExp(`id="idea-${plain}" class="idea-list__item">\\s*<div class="idea-list__body">`), 'a PDF alone gives no thumbnail');
    const thumbnail = await visitor.request(`/ideas/${pictured}/attachments/${imageId}`);
    assert.equal(thumbnail.status, 200);
    assert.equal(thumbnail.headers.get('content-type'), 'image/png');
  });

  it("keeps a draft's attachments private to its author", async () => {
    const saved = await postIdea(ideaForm({ title: 'Private files', intent: 'save' }), [['notes.pdf', PDF]]);
    const ideaId = (saved.headers.get('location') ?? '').split('/')[2]!;
    const idea = await Idea.findById(ideaId).lean();
    const fileId = idea?.attachments[0]?.fileId;
    assert.ok(fileId);
    assert.equal((await member.get(`/ideas/${ideaId}/attachments/${fileId}`)).status, 200);
    const other = await signedInClient(app.url, await createUser());
    assert.equal((await other.get(`/ideas/${ideaId}/attachments/${fileId}`)).status, 404);
  });

  it('refuses an executable named .png and an SVG with script, naming the file, and saves nothing', async () => {
    const before = await Idea.countDocuments();
    const executable = await postIdea(ideaForm({ title: 'Sneaky' }), [['photo.png', ELF]]);
    assert.equal(executable.status, 400);
    assert.match(executable.body_, /photo\.png/);
    assert.match(executable.body_, /value="Sneaky"/, 'what was typed is kept');
    const svg = await postIdea(ideaForm({ title: 'Sneaky' }), [['logo.png', SVG_WITH_SCRIPT]]);
    assert.equal(svg.status, 400);
    assert.match(svg.body_, /logo\.png/);
    assert.equal(await Idea.countDocuments(), before);
  });

  it('refuses a file over the limit with 413 and 50 files at once with a message', async () => {
    const big = await postIdea(ideaForm({ title: 'Big' }), [['huge.pdf', Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)])]]);
    assert.equal(big.status, 413);
    assert.match(big.body_, /10 MB/);
    const many = await postIdea(
      ideaForm({ title: 'Many' }),
      Array.from({ length: 50 }, (_, i): [string, Buffer] => [`page-${i}.pdf`, PDF]),
    );
    assert.equal(many.status, 400);
    assert.match(many.body_, /Attach at most 10 files/);
  });

  it('removes an attachment on edit and asks for a file when the challenge requires one', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { fields: 'Prototype | file | required' } });
    const withoutFile = await postIdea(ideaForm({ title: 'No prototype' }), [], `/challenges/${id}/ideas`);
    assert.equal(withoutFile.status, 400);
    assert.match(withoutFile.body_, /Attach a file for “Prototype”/);

    const created = await postIdea(ideaForm({ title: 'Prototype attached' }), [['proto.pdf', PDF]], `/challenges/${id}/ideas`);
    assert.equal(created.status, 303);
    const ideaPath = created.headers.get('location') ?? '';
    const fileId = (await Idea.findById(ideaPath.split('/')[2]).lean())?.attachments[0]?.fileId ?? '';
    const edited = await postIdea(ideaForm({ title: 'Prototype attached', intent: 'save', removeAttachments: fileId }), [['v2.png', TINY_PNG]], ideaPath);
    assert.equal(edited.status, 303);
    const stored = await Idea.findById(ideaPath.split('/')[2]).lean();
    assert.deepEqual(
      stored?.attachments.map((a) => a.filename),
      ['v2.png'],
    );
    assert.equal((await member.get(`${ideaPath}/attachments/${fileId}`)).status, 404);
  });
});
