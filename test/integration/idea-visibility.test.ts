import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Audience } from '../../src/features/challenges/challenge.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChallenge } from '../helpers/challenges.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { decideIdea } from '../helpers/curation.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

const AUDIENCES: Audience[] = ['public', 'members', 'specialists', 'invite-only'];
const ROLES = ['visitor', 'member', 'specialist', 'invited', 'copilot', 'judge', 'staff', 'author'] as const;
type Role = (typeof ROLES)[number];

/** The rules from product.md, written out independently of the policy module. */
function expected(role: Role, audience: Audience, sealed: boolean) {
  const team = role === 'copilot' || role === 'judge' || role === 'staff';
  const seesChallenge =
    team ||
    role === 'author' ||
    audience === 'public' ||
    (audience === 'members' && role !== 'visitor') ||
    (audience === 'specialists' && role === 'specialist') ||
    (audience === 'invite-only' && role === 'invited');
  const seesIdea = seesChallenge && (!sealed || team || role === 'author');
  return { seesChallenge, seesIdea };
}

describe('who sees a challenge and its ideas: every role × audience × sealed', () => {
  let app: TestApp;
  const clients = {} as Record<Role, TestClient>;
  const users = {} as Record<Role, { email: string; id: string }>;
  before(async () => {
    app = await startTestApp();
    const roles = { specialist: ['specialist'], judge: ['staff'], staff: ['staff'], author: ['specialist'] } as const;
    for (const role of ROLES) {
      if (role === 'visitor') continue;
      const user = await createUser({ name: `The ${role}`, roles: [...(roles[role as keyof typeof roles] ?? [])] });
      users[role] = user;
      clients[role] = await signedInClient(app.url, user);
    }
    clients.visitor = new TestClient(app.url);
  });
  after(() => app.close());

  for (const audience of AUDIENCES) {
    for (const sealed of [false, true]) {
      it(`${audience} challenge, ${sealed ? 'sealed' : 'open'} submissions`, async () => {
        const title = `Idea in ${audience} ${sealed ? 'sealed' : 'open'} ${Date.now()}`;
        const { id } = await createChallenge(app, {
          phase: 'open',
          form: {
            audience,
            submissionVisibility: sealed ? 'sealed' : 'open',
            invitedEmails: `${users.invited.email}\n${users.author.email}`,
            copilots: users.copilot.email,
            judges: users.judge.email,
          },
        });
        const created = await clients.author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title }));
        assert.equal(created.status, 303, `the author submits to the ${audience} challenge`);
        const ideaPath = created.headers.get('location') ?? '';

        for (const role of ROLES) {
          const { seesChallenge, seesIdea } = expected(role, audience, sealed);
          const challengePage = await clients[role].get(`/challenges/${id}`);
          assert.equal(challengePage.status, seesChallenge ? 200 : 404, `${role} opening the challenge`);
          assert.equal(challengePage.body_.includes(title), seesIdea, `${role} sees the idea in the challenge's list`);
          assert.equal((await clients[role].get(ideaPath)).status, seesIdea ? 200 : 404, `${role} opening the idea`);
          assert.equal((await clients[role].get('/challenges')).body_.includes(`/challenges/${id}"`), seesChallenge, `${role} finds it in the list`);
        }
      });
    }
  }

  it('shows the crowd only screened ideas where the challenge waits for approval, in lists, pages and search', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { crowdSees: 'approved', copilots: users.copilot.email, judges: users.judge.email } });
    const submit = async (title: string) => {
      const created = await clients.author.submit(`/challenges/${id}/ideas/new`, `/challenges/${id}/ideas`, ideaForm({ title }));
      return (created.headers.get('location') ?? '').split('/')[2]!;
    };
    const stamp = Date.now();
    const waiting = await submit(`Waiting zebracorn ${stamp}`);
    const approved = await submit(`Approved zebracorn ${stamp}`);
    const rejected = await submit(`Rejected zebracorn ${stamp}`);
    await decideIdea(app, staff, id, approved, 'approve');
    await decideIdea(app, staff, id, rejected, 'reject');
    const crowd: Role[] = ['visitor', 'member', 'specialist', 'invited'];
    for (const role of ROLES) {
      const team = role === 'copilot' || role === 'judge' || role === 'staff';
      const list = (await clients[role].get(`/challenges/${id}`)).body_;
      const search = (await clients[role].get(`/search?q=zebracorn+${stamp}`)).body_;
      for (const [ideaId, title, crowdSees] of [
        [waiting, 'Waiting', false],
        [approved, 'Approved', true],
        [rejected, 'Rejected', false],
      ] as const) {
        const sees = crowdSees || team || role === 'author';
        assert.equal((await clients[role].get(`/ideas/${ideaId}`)).status, sees ? 200 : 404, `${role} opening the ${title.toLowerCase()} idea`);
        // The challenge page lists what reached the crowd (the team sees every submitted idea; authors theirs in My ideas).
        assert.equal(list.includes(`/ideas/${ideaId}"`), crowd.includes(role) || role === 'author' ? crowdSees : sees, `${role}: ${title} in the list`);
        assert.equal(search.includes(`/ideas/${ideaId}"`), sees, `${role}: ${title} in search`);
      }
    }
  });
});
