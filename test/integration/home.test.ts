import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** The text of the home's section with this heading id, tags removed and spaces squeezed. */
function section(html: string, id: string): string {
  const found = html.match(new RegExp(`<section[^>]*aria-labelledby="${id}"[^>]*>([\\s\\S]*?)</section>`))?.[1];
  assert.ok(found !== undefined, `the section ${id}`);
  return found
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the home after sign-in: what needs each role', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('shows visitors the marketing page, and each signed-in person their own home', async () => {
    const copilot = await createUser({ name: 'Cody Copilot' });
    const author = await createUser({ name: 'Alma Author' });
    const { id: openId } = await createChallenge(app, { phase: 'open', form: { title: 'Quieter alerts', copilots: copilot.email } });
    const body = ideaForm({ title: 'Snooze until Monday' });
    await app.services.ideas.createIdea(actorFor(author), openId, ideaInput.parse(body), body);
    const judged = await challengeInJudging(app, { ideas: 2, judges: 1, form: { title: 'Clearer invoices' } });
    // Two drafts: one that may open, one whose schedule is not set yet.
    await createChallenge(app, { form: { title: 'Scheduled draft' } });
    await createChallenge(app, { form: { title: 'Unscheduled draft', start_judging: '' } });

    const visitor = await new TestClient(app.url).get('/');
    assert.match(visitor.body_, /<h1>Co-creation challenges that end in shipped work<\/h1>/);

    // Signing in lands on the home, not on the marketing page.
    const client = new TestClient(app.url);
    const signIn = await client.submit('/sign-in', '/sign-in', { email: author.email, password: author.password });
    assert.equal(signIn.status, 303);
    assert.equal(signIn.headers.get('location'), '/');
    const memberHome = (await client.get('/')).body_;
    assert.match(memberHome, /<h1>Hello, Alma Author<\/h1>/);
    assert.match(section(memberHome, 'home-ideas'), /Snooze until Monday Submitted The challenge’s copilots will review it/);
    assert.match(section(memberHome, 'home-open'), /Quieter alerts/);
    assert.doesNotMatch(memberHome, /Ideas to screen|Scorecards to fill|Challenges by phase/, 'a member holds none of the other roles');

    const copilotHome = (await (await signedInClient(app.url, copilot)).get('/')).body_;
    assert.match(section(copilotHome, 'home-queues'), /Quieter alerts 1 1 idea waiting, the oldest for/);

    const judgeHome = (await (await signedInClient(app.url, judged.judges[0]!)).get('/')).body_;
    assert.match(section(judgeHome, 'home-judging'), /Clearer invoices 2 2 of 2 scorecards to fill/);

    const staffUser = await createUser({ roles: ['staff'], name: 'Sid Staff' });
    const staffHome = (await (await signedInClient(app.url, staffUser)).get('/')).body_;
    const byPhase = section(staffHome, 'home-challenges');
    assert.match(byPhase, /Open for ideas \(1\) Quieter alerts Next: Screen the new ideas/);
    assert.match(byPhase, /Judging \(1\) Clearer invoices Next: Follow the judges/);
    assert.match(byPhase, /Scheduled draft Next: Finish the brief, then open it/);
    assert.match(byPhase, /Unscheduled draft Next: Set when each phase starts, then open it/);
    assert.match(staffHome, /href="\/challenges\/[0-9a-f]{24}\/edit#schedule"/, 'and it leads to the schedule');
  });
});
