import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const WAIT_MS = 5_000;

describe('live updates over socket.io', () => {
  let app: TestApp;
  const sockets: Socket[] = [];
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  });

  /** A socket.io client as a page of `origin` would open it, with the browser's session cookie. */
  function connect(options: { as?: TestClient; origin?: string; transports?: Array<'polling' | 'websocket'> } = {}): Promise<Socket> {
    const session = options.as?.cookie('cocreate.sid');
    const socket = io(app.url, {
      transports: options.transports ?? ['websocket'],
      extraHeaders: { origin: options.origin ?? app.url, ...(session ? { cookie: `cocreate.sid=${session}` } : {}) },
      reconnection: false,
      forceNew: true,
      timeout: WAIT_MS,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  async function join(socket: Socket, room: string): Promise<boolean> {
    return (await socket.timeout(WAIT_MS).emitWithAck('join', room)) as boolean;
  }

  /** The next `event` whose payload matches, or a failure after 5 s. */
  function next<T = Record<string, unknown>>(socket: Socket, event: string, matches: (payload: T) => boolean = () => true): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off(event, listener);
        reject(new Error(`no "${event}" within ${WAIT_MS / 1000} s`));
      }, WAIT_MS);
      const listener = (payload: T) => {
        if (!matches(payload)) return;
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(payload);
      };
      socket.on(event, listener);
    });
  }

  /** Everything a socket receives from now on, by event name. */
  function record(socket: Socket): Array<[string, unknown]> {
    const seen: Array<[string, unknown]> = [];
    socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
    return seen;
  }

  async function submitIdea(challengeId: string, author: TestClient, title: string): Promise<string> {
    const created = await author.submit(`/challenges/${challengeId}/ideas/new`, `/challenges/${challengeId}/ideas`, ideaForm({ title }));
    assert.equal(created.status, 303);
    return (created.headers.get('location') ?? '').split('/')[2]!;
  }

  it('lets a visitor follow a public challenge, but not a draft, and serves the client script', async () => {
    const open = await createChallenge(app, { phase: 'open' });
    const draft = await createChallenge(app);
    const visitor = await connect();
    const seen = record(visitor);
    assert.equal(await join(visitor, `challenge:${open.id}`), true);
    assert.equal(await join(visitor, `challenge:${draft.id}`), false, 'a draft is refused, as if it did not exist');
    assert.equal(await join(visitor, `challenge:${'0'.repeat(24)}`), false);
    assert.equal(await join(visitor, `challenge:${draft.id}:team`), false, 'team rooms are never asked for');
    assert.equal(await join(visitor, 'user:someone'), false);

    const team = await connect({ as: await signedInClient(app.url, await createUser({ roles: ['staff'] })) });
    assert.equal(await join(team, `challenge:${draft.id}`), true, 'staff see drafts');

    // Opening the draft is news to its room only (its team); the open challenge's room then hears its own move.
    const teamHears = next(team, 'challenge:phase');
    await app.services.challenges.movePhase(draft.staff, draft.id, 'open', 'ready');
    assert.deepEqual(await teamHears, { challengeId: draft.id, phase: 'open', label: 'Open for ideas' });
    const visitorHears = next(visitor, 'challenge:phase', (payload: { challengeId: string }) => payload.challengeId === open.id);
    await app.services.challenges.movePhase(open.staff, open.id, 'curation', 'enough ideas');
    await visitorHears;
    assert.deepEqual(seen, [['challenge:phase', { challengeId: open.id, phase: 'curation', label: 'Curation' }]], 'nothing about the draft reached the visitor');

    const script = await new TestClient(app.url).get('/socket.io/socket.io.min.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it('tells a member following an idea and its challenge the new vote count', async () => {
    const { id } = await createChallenge(app, { phase: 'open' });
    const ideaId = await submitIdea(id, await signedInClient(app.url, await createUser({ name: 'Ada Author' })), 'Counted live');
    const member = await connect({ as: await signedInClient(app.url, await createUser({ name: 'Mo Member' })) });
    assert.equal(await join(member, `idea:${ideaId}`), true);
    assert.equal(await join(member, `challenge:${id}`), true);
    const seen = record(member);

    const voter = await createUser({ name: 'Val Voter' });
    const counted = next(member, 'idea:votes');
    await app.services.votes.castVote(actorFor(voter), ideaId);
    assert.deepEqual(await counted, { ideaId, votes: 1 });
    // Listening before the withdrawal: the service answers after recording its event durably, by
    // which time the update may have arrived.
    const withdrawn = next(member, 'idea:votes', (payload: { votes: number }) => payload.votes === 0);
    await app.services.votes.withdrawVote(actorFor(voter), ideaId);
    await withdrawn;
    assert.deepEqual(
      seen.map(([event]) => event),
      ['idea:votes', 'idea:votes'],
      'in both rooms, each update arrives once',
    );
  });

  it('sends a sealed challenge’s new ideas and votes to its copilot, and not to other members', async () => {
    const copilot = await createUser({ name: 'Cleo Copilot' });
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { submissionVisibility: 'sealed', copilots: copilot.email } });
    const copilotSocket = await connect({ as: await signedInClient(app.url, copilot) });
    const memberSocket = await connect({ as: await signedInClient(app.url, await createUser({ name: 'Nosy Member' })) });
    const authorClient = await signedInClient(app.url, await createUser({ name: 'Sam Sealed' }));
    const authorSocket = await connect({ as: authorClient });
    for (const socket of [copilotSocket, memberSocket, authorSocket]) assert.equal(await join(socket, `challenge:${id}`), true);
    const memberSaw = record(memberSocket);

    const copilotHears = next(copilotSocket, 'idea:new');
    const authorHears = next(authorSocket, 'idea:new');
    const ideaId = await submitIdea(id, authorClient, 'For the team only');
    assert.deepEqual(await copilotHears, { challengeId: id, ideaId });
    assert.deepEqual(await authorHears, { challengeId: id, ideaId }, 'the author hears of their own idea');
    assert.equal(await join(memberSocket, `idea:${ideaId}`), false, 'a sealed idea’s room is closed to other members');

    const copilotCounts = next(copilotSocket, 'idea:votes');
    await app.services.votes.castVote(actorFor(copilot), ideaId);
    assert.deepEqual(await copilotCounts, { ideaId, votes: 1 });

    // A later event to the whole room: had the member been sent anything before it, it would have arrived first.
    const memberHears = next(memberSocket, 'challenge:phase');
    await app.services.challenges.movePhase(staff, id, 'curation', 'sealed round over');
    await memberHears;
    assert.deepEqual(
      memberSaw.map(([event]) => event),
      ['challenge:phase'],
      'no idea id or vote count reached the member',
    );
  });

  it('lets a member made staff hear a sealed challenge’s new ideas at once, and stops when the role is taken back', async () => {
    const admin = actorFor(await createUser({ roles: ['staff', 'admin'] }), ['staff', 'admin']);
    const { id } = await createChallenge(app, { phase: 'open', form: { submissionVisibility: 'sealed' } });
    const promoted = await createUser({ name: 'Pat Promoted' });
    const socket = await connect({ as: await signedInClient(app.url, promoted) });
    assert.equal(await join(socket, `challenge:${id}`), true);
    const author = await signedInClient(app.url, await createUser({ name: 'Al Author' }));

    await app.services.adminUsers.changeRoles(admin, promoted.id, ['member', 'staff']);
    // The socket stays (its session is still the user's) and is let into the team's room.
    await eventually(async () => app.realtime.io.of('/').adapter.rooms.get(`challenge:${id}:team`)?.has(socket.id!) === true, 'joining the team room');
    const heard = next(socket, 'idea:new');
    const ideaId = await submitIdea(id, author, 'Seen by new staff');
    assert.deepEqual(await heard, { challengeId: id, ideaId });

    await app.services.adminUsers.changeRoles(admin, promoted.id, ['member']);
    await eventually(async () => app.realtime.io.of('/').adapter.rooms.get(`challenge:${id}:team`)?.has(socket.id!) !== true, 'leaving the team room');
    assert.ok(socket.connected);
    assert.equal(await join(socket, `idea:${ideaId}`), false, 'the sealed idea is the team’s again');
  });

  it('keeps a signed-in socket’s unread count current, and drops the socket when its user is suspended', async () => {
    const user = await createUser({ name: 'Ines Inbox' });
    const socket = await connect({ as: await signedInClient(app.url, user), transports: ['polling', 'websocket'] });
    const counted = next(socket, 'inbox:count');
    await app.services.notifications.notify([user.id], { kind: 'phase_changed', text: 'Something moved', link: '/' });
    assert.deepEqual(await counted, { unread: 1 });

    const admin = actorFor(await createUser({ roles: ['staff', 'admin'] }), ['staff', 'admin']);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await app.services.adminUsers.setSuspended(admin, user.id, true, 'testing live sessions');
    assert.equal(await dropped, 'io server disconnect');
  });

  it('tells those watching an idea of a new comment, but not a socket that could not join its room', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { submissionVisibility: 'sealed' } });
    const author = await signedInClient(app.url, await createUser());
    const ideaId = await submitIdea(id, author, 'Commented live');
    const authorSocket = await connect({ as: author });
    assert.equal(await join(authorSocket, `idea:${ideaId}`), true);
    const outsider = await connect({ as: await signedInClient(app.url, await createUser()) });
    assert.equal(await join(outsider, `idea:${ideaId}`), false, 'a sealed idea’s room refuses other members');
    const heardByOutsider = record(outsider);
    const arrived = next<{ ideaId: string }>(authorSocket, 'comment:new', (payload) => payload.ideaId === ideaId);
    await author.submit(`/ideas/${ideaId}`, `/ideas/${ideaId}/comments`, { body: 'Adding a thought' });
    await arrived;
    assert.deepEqual(
      heardByOutsider.filter(([event]) => event === 'comment:new'),
      [],
    );
  });

  it('refuses a socket opened by another site’s page', async () => {
    for (const transports of [['websocket'], ['polling']] as const) {
      await assert.rejects(connect({ origin: 'http://evil.example', transports: [...transports] }), `refused over ${transports[0]}`);
      assert.ok((await connect({ transports: [...transports] })).connected, `the site's own origin connects over ${transports[0]}`);
    }
  });
});
