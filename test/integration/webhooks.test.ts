import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendChange } from '../../src/cluster/change-log.ts';
import { AuditEntry } from '../../src/features/audit/audit.model.ts';
import { blockedReason } from '../../src/features/webhooks/ssrf.ts';
import { verifySignature } from '../../src/features/webhooks/signing.ts';
import { Delivery, Webhook, WebhookLog } from '../../src/features/webhooks/webhook.model.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor } from '../helpers/challenges.ts';
import { csrfFrom, type TestClient } from '../helpers/http.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { GERMAN } from '../helpers/languages.ts';
import { createUser, signedInClient } from '../helpers/users.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what} did not happen within ${ms / 1000} s`);
}

describe('outbound webhooks', () => {
  let app: TestApp;
  // A second process on the same database: it serves the admin pages and leaves the outbox to `app`.
  let second: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let stopWorker: () => Promise<void>;
  let admin: Actor;
  let adminClient: TestClient;

  before(async () => {
    receiver = await startWebhookReceiver();
    // Only the receiver's own port on 127.0.0.1 is allow-listed: every other local target stays refused.
    app = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}` } });
    second = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${receiver.port}` }, consumeOutbox: false });
    stopWorker = app.services.webhooks.startWorker({ pollMs: 50, backoffMs: [100, 200], maxAttempts: 3, timeoutMs: 3_000 });
    const adminUser = await createUser({ roles: ['staff', 'admin'], name: 'Ada Admin' });
    admin = actorFor(adminUser, ['staff', 'admin']);
    adminClient = await signedInClient(app.url, adminUser);
  });
  after(async () => {
    await stopWorker();
    await second.close();
    await app.close();
    await receiver.close();
  });

  /** A proposed backlog item promoted from a shortlisted idea, and the staff member who may move it. */
  async function backlogItem() {
    const challenge = await challengeInJudging(app, { ideas: 1, judges: 1 });
    const { item } = await app.services.backlogItems.promote(challenge.staff, challenge.ideaIds[0]!, 'product');
    return { challenge, item, staff: challenge.staff };
  }

  const logOf = async (webhookId: string) => (await WebhookLog.findById(webhookId).lean())?.entries ?? [];

  it('sends a correctly signed backlog_item.status_changed event to a webhook an admin added, and logs it', async () => {
    const url = `http://127.0.0.1:${receiver.port}/ok-signed`;
    const created = await adminClient.submit('/admin/webhooks', '/admin/webhooks', { url, events: ['backlog_item.status_changed'] });
    assert.equal(created.status, 303);
    const page = created.headers.get('location')!;
    const shown = await adminClient.get(page);
    const secret = shown.body_.match(/data-webhook-secret>([^<]+)</)?.[1];
    assert.ok(secret?.startsWith('whsec_'), 'the secret is shown after creation');
    assert.doesNotMatch((await adminClient.get(page)).body_, /data-webhook-secret/, 'and only once');
    const webhookId = page.split('/').at(-1)!;
    assert.equal((await Webhook.findById(webhookId).lean())?.secret, secret, 'stored so deliveries can be signed');

    const { item, staff } = await backlogItem();
    await app.services.backlogItems.move({ actor: staff, via: 'web' }, item.id, 'accepted', 'On the roadmap');

    await waitFor(async () => receiver.on('/ok-signed').length === 1, 'the delivery');
    const [request] = receiver.on('/ok-signed');
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['cocreate-event'], 'backlog_item.status_changed');
    const signature = String(request!.headers['cocreate-signature']);
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verifySignature(secret!, signature, request!.body), 'the signature verifies with the documented scheme');
    assert.ok(!verifySignature(secret!, signature, request!.body.replace('accepted', 'shipped')), 'a tampered body does not verify');
    assert.ok(!verifySignature('whsec_other', signature, request!.body), 'another secret does not verify');
    const timestamp = Number(signature.match(/t=(\d+)/)![1]);
    assert.ok(!verifySignature(secret!, signature, request!.body, { now: timestamp + 3600 }), 'an old delivery replayed later does not verify');

    const payload = JSON.parse(request!.body);
    assert.equal(payload.event, 'backlog_item.status_changed');
    assert.equal(request!.headers['cocreate-delivery'], `${webhookId}:${payload.id}`);
    assert.deepEqual(payload.data, {
      item: { id: item.id, backlogId: 'product', title: 'Shortlisted idea 1', url: `${app.url}/backlog-items/${item.id}` },
      from: 'proposed',
      to: 'accepted',
      note: 'On the roadmap',
      via: 'web',
    });
    assert.doesNotMatch(request!.body, /@example\.test|Stella|authorId|contributor/i, 'no people in the payload');

    await waitFor(async () => (await logOf(webhookId)).some((entry) => entry.outcome === 'delivered'), 'the log entry');
    const log = await adminClient.get(page);
    assert.match(log.body_, /<tr data-outcome="delivered">[\s\S]*?backlog_item\.status_changed[\s\S]*?<td data-label="Status code">200<\/td>/);
    assert.equal(await Delivery.countDocuments({ webhookId }), 0, 'the queue is empty once delivered');
    assert.equal(await AuditEntry.countDocuments({ action: 'webhook.created', targetId: webhookId }), 1);
    const list = (await adminClient.get('/admin/webhooks')).body_;
    const row = list.slice(list.indexOf(`/admin/webhooks/${webhookId}"`), list.indexOf('</tr>', list.indexOf(`/admin/webhooks/${webhookId}"`)));
    assert.match(row, /Active/);
    assert.doesNotMatch(row, /data-last-failure/, 'a receiver whose last attempt was delivered is not marked failing');
  });

  it('retries a failing receiver with backoff, logs every attempt and gives up, while the request that caused the event returns at once', async () => {
    const { id: webhookId } = await app.services.webhooks.create(admin, { url: `http://127.0.0.1:${receiver.port}/fail-retry`, events: ['backlog_item.status_changed'] });
    const { item } = await backlogItem();
    const staffUser = await createUser({ roles: ['staff'], name: 'Mover' });
    const staff = await signedInClient(app.url, staffUser);

    // The receiver hangs: the move must answer all the same, with no attempt finished yet.
    const release = receiver.holdFailures();
    const moved = await staff.post(`/backlog-items/${item.id}/move`, { _csrf: csrfFrom((await staff.get('/')).body_), to: 'accepted', note: 'Accepted by product' });
    assert.equal(moved.status, 303, moved.body_.slice(0, 300));
    assert.deepEqual(await logOf(webhookId), [], 'the move answered without waiting for the receiver');
    await waitFor(async () => receiver.on('/fail-retry').length === 1, 'the first attempt reaching the receiver');
    const inFlight = await adminClient.get(`/admin/webhooks/${webhookId}`);
    assert.match(inFlight.body_, /<td data-label="Attempts">1<\/td><td data-label="Next attempt">Being sent now<\/td>/, 'the admin sees the first attempt out, not its lease as a next attempt');
    release();

    await waitFor(async () => (await logOf(webhookId)).some((entry) => entry.outcome === 'failed'), 'giving up after 3 attempts');
    const attempts = receiver.on('/fail-retry');
    assert.equal(attempts.length, 3, 'tried three times in all');
    assert.equal(new Set(attempts.map((request) => request.headers['cocreate-delivery'])).size, 1, 'the same delivery id on every retry');
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 100 && attempts[2]!.at - attempts[1]!.at >= 200, 'waiting longer before each retry');
    const log = await logOf(webhookId);
    assert.deepEqual(
      log.map((entry) => [entry.attempt, entry.outcome, entry.statusCode]),
      [
        [1, 'retrying', 500],
        [2, 'retrying', 500],
        [3, 'failed', 500],
      ],
    );
    assert.equal(await Delivery.countDocuments({ webhookId }), 0, 'given up, it leaves the queue');
    const page = await adminClient.get(`/admin/webhooks/${webhookId}`);
    assert.equal((page.body_.match(/<td data-label="Status code">500<\/td>/g) ?? []).length, 3, 'the admin sees each attempt and its status code');
    assert.match(page.body_, /The receiver answered 500\./);
    assert.equal(log.at(-1)?.error, 'The receiver answered 500.', 'the log keeps the English for the server logs and the archive');
    assert.match(page.body_, /<td data-label="Outcome">Failed, given up<\/td>/, 'each outcome in words');
    const german = await adminClient.get(`/admin/webhooks/${webhookId}`, { 'accept-language': GERMAN });
    assert.equal((german.body_.match(/Der Empfänger antwortete mit 500\./g) ?? []).length, 3, 'an admin reading German reads each failure in German');
    assert.match(german.body_, /Fehlgeschlagen, aufgegeben/);
    // The list shows which receiver is failing, without opening each.
    const list = (await adminClient.get('/admin/webhooks')).body_;
    const row = list.slice(list.indexOf(`/admin/webhooks/${webhookId}"`), list.indexOf('</tr>', list.indexOf(`/admin/webhooks/${webhookId}"`)));
    assert.match(row, /Last attempt failed [^<]*: The receiver answered 500\./);
  });

  it('refuses webhook URLs to loopback, link-local and names resolving to them when saved', async () => {
    const before = await Webhook.countDocuments({});
    const refused: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${receiver.port + 1}/hook`, /127\.0\.0\.1, a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254, a link-local address/],
      [`http://localhost:${receiver.port}/ok`, /localhost resolves to [^,]+, a loopback address/],
      ['http://[::ffff:127.0.0.1]/hook', /loopback/],
      ['http://10.1.2.3/hook', /private/],
      ['ftp://example.com/hook', /Only http:\/\/ and https:\/\//],
    ];
    for (const [url, message] of refused) {
      const response = await adminClient.submit('/admin/webhooks', '/admin/webhooks', { url, events: ['idea.submitted'] });
      assert.equal(response.status, 400, url);
      assert.match(response.body_.replaceAll('&#x3D;', '='), message, url);
    }
    assert.equal(await Webhook.countDocuments({}), before, 'nothing saved');
  });

  it('refuses at delivery time a target saved before the allow-list changed, and never connects to it', async () => {
    // As if saved while WEBHOOK_ALLOWED_HOSTS named them: the check runs again at every delivery.
    const rebound = await Webhook.create({ url: `http://localhost:${receiver.port}/rebound`, secret: 'whsec_test', events: ['backlog_item.status_changed'] });
    const metadata = await Webhook.create({ url: 'http://169.254.169.254/latest/meta-data/', secret: 'whsec_test', events: ['backlog_item.status_changed'] });
    // Written as a script writes: it records the change, which the app's change log brings it.
    await appendChange({ kind: 'webhooks' });
    await app.readModelSync.catchUp();
    const { item, staff } = await backlogItem();
    await app.services.backlogItems.move({ actor: staff, via: 'web' }, item.id, 'declined', 'Not this year');

    for (const [hook, reason] of [
      [rebound, /loopback/],
      [metadata, /link-local/],
    ] as const) {
      await waitFor(async () => (await logOf(String(hook._id))).length > 0, 'the refusal in the log');
      const [entry] = await logOf(String(hook._id));
      assert.equal(entry!.outcome, 'refused');
      assert.match(entry!.error, reason);
      assert.equal(await Delivery.countDocuments({ webhookId: hook._id }), 0, 'refused deliveries are not retried');
    }
    assert.equal(receiver.on('/rebound').length, 0, 'nothing reached the receiver');
  });

  it('sends idea.status_changed when an idea is promoted, without the title of a sealed challenge’s idea', async () => {
    await app.services.webhooks.create(admin, { url: `http://127.0.0.1:${receiver.port}/ok-ideas`, events: ['idea.status_changed'] });
    const open = await challengeInJudging(app, { ideas: 1, judges: 1 });
    const sealed = await challengeInJudging(app, { ideas: 1, judges: 1, form: { submissionVisibility: 'sealed' } });
    await app.services.backlogItems.promote(open.staff, open.ideaIds[0]!, 'product');
    await app.services.backlogItems.promote(sealed.staff, sealed.ideaIds[0]!, 'product');
    const promoted = (ideaId: string) =>
      receiver
        .on('/ok-ideas')
        .map((request) => JSON.parse(request.body))
        .find((payload) => payload.data.idea.id === ideaId && payload.data.to === 'promoted');
    await waitFor(async () => Boolean(promoted(open.ideaIds[0]!) && promoted(sealed.ideaIds[0]!)), 'both promotions');
    assert.deepEqual(promoted(open.ideaIds[0]!).data.idea, { id: open.ideaIds[0], title: 'Shortlisted idea 1', url: `${app.url}/ideas/${open.ideaIds[0]}` });
    assert.equal(promoted(open.ideaIds[0]!).data.from, 'shortlisted');
    assert.deepEqual(promoted(sealed.ideaIds[0]!).data.idea, { id: sealed.ideaIds[0], url: `${app.url}/ideas/${sealed.ideaIds[0]}` }, 'no title from a sealed challenge');
    // The shortlisting during setup was sent too.
    assert.ok(receiver.on('/ok-ideas').some((request) => JSON.parse(request.body).data.to === 'shortlisted'));
  });

  it('classifies internal addresses, including IPv4-mapped IPv6 and the IPv6 transition forms', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fc00::1',
      'fd12::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '::ffff:10.0.0.1',
      // Benchmarking and IETF protocol assignments, and loopback or link-local behind NAT64, 6to4, SIIT and Teredo.
      '198.18.0.1',
      '198.19.255.254',
      '192.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::7f00:1',
      '2002:7f00:1::',
      '2002:a9fe:a9fe::1',
      '::ffff:0:7f00:1',
      '2001::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    ]) {
      assert.ok(blockedReason(address), `${address} is refused`);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(blockedReason(address), null, `${address} is public`);
    }
  });

  it('sends the very next event to a webhook added on another process, and none once it is disabled there', async () => {
    // `app` consumes the outbox and holds the subscriptions in memory; the admin works on `second`.
    const control = await app.services.webhooks.create(admin, { url: `http://127.0.0.1:${receiver.port}/ok-control`, events: ['backlog_item.status_changed'] });
    assert.ok((await app.readModels.webhooks.subscribers('backlog_item.status_changed')).includes(control.id), 'this process holds the subscriptions');
    const [first, next] = [await backlogItem(), await backlogItem()];
    // No wait for the change log: the change is in the outbox before the event recorded after it.
    const { id } = await second.services.webhooks.create(admin, { url: `http://127.0.0.1:${receiver.port}/ok-elsewhere`, events: ['backlog_item.status_changed'] });
    await app.services.backlogItems.move({ actor: first.staff, via: 'web' }, first.item.id, 'accepted', 'On the roadmap');
    await waitFor(async () => receiver.on('/ok-elsewhere').length === 1, 'the delivery to the webhook added on the other process');

    await second.services.webhooks.setActive(admin, id, false);
    await app.services.backlogItems.move({ actor: next.staff, via: 'web' }, next.item.id, 'accepted', 'On the roadmap');
    // Both webhooks' deliveries of one event are queued together: once the control's arrived, a second one here would have been queued too.
    await waitFor(async () => receiver.on('/ok-control').length === 2, 'the control webhook’s second delivery');
    assert.equal(await Delivery.countDocuments({ webhookId: id }), 0, 'nothing queued for the disabled webhook');
    assert.deepEqual(
      (await logOf(id)).map((entry) => entry.outcome),
      ['delivered'],
      'only the delivery made while it was active',
    );
  });

  it('sends a test event from the admin page', async () => {
    const { id } = await app.services.webhooks.create(admin, { url: `http://127.0.0.1:${receiver.port}/ok-ping`, events: ['challenge.phase_changed'] });
    const sent = await adminClient.submit(`/admin/webhooks/${id}`, `/admin/webhooks/${id}/test`, {});
    assert.equal(sent.status, 303);
    await waitFor(async () => receiver.on('/ok-ping').length === 1, 'the ping');
    assert.equal(receiver.on('/ok-ping')[0]!.headers['cocreate-event'], 'ping');
  });

  it('keeps the admin pages to admins', async () => {
    const { id } = await app.services.webhooks.create(admin, { url: `http://127.0.0.1:${receiver.port}/ok-private`, events: ['idea.submitted'] });
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'], name: 'Not Admin' }));
    assert.equal((await staff.get('/admin/webhooks')).status, 403);
    assert.equal((await staff.get(`/admin/webhooks/${id}`)).status, 403);
    const csrf = csrfFrom((await staff.get('/')).body_);
    assert.equal((await staff.post('/admin/webhooks', { _csrf: csrf, url: `http://127.0.0.1:${receiver.port}/ok-x`, events: 'idea.submitted' })).status, 403);
    assert.equal((await staff.post(`/admin/webhooks/${id}/delete`, { _csrf: csrf })).status, 403);
    assert.ok(await Webhook.findById(id).lean(), 'not deleted');
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get('/admin/webhooks')).status, 403);
  });
});
