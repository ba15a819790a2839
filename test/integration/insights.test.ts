import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { User } from '../../src/features/accounts/user.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { InsightDay, InsightSla } from '../../src/features/insights/insights.model.ts';
import { rebuildInsights } from '../../src/features/insights/rebuild.ts';
import type { Actor } from '../../src/shared/actor.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { eventually } from '../helpers/eventually.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

/** The cells of a row of one of the page's tables, by its row header. */
function row(html: string, tableId: string, head: string): string[] {
  const table = html.match(new RegExp(`<table class="table" id="table-${tableId}">([\\s\\S]*?)</table>`))?.[1];
  assert.ok(table, `table ${tableId} on the page`);
  const cells = table.match(new RegExp(`<tr><th scope="row">${head.replace(/[()]/g, '\\$&')}</th>(.*?)</tr>`))?.[1];
  assert.ok(cells !== undefined, `row “${head}” in ${tableId}`);
  return [...cells.matchAll(/<td>(.*?)<\/td>/g)].map((match) => match[1]!);
}

// Retail (6 people) and "=Healthcare" (5) stand on their own; Finance (3) must be folded.
const SEGMENTS = [
  { segment: 'Retail', people: 6, tag: 'mobile' },
  { segment: '=Healthcare', people: 5, tag: 'billing' },
  { segment: 'Finance', people: 3, tag: 'mobile' },
];

describe('challenge insights', () => {
  let app: TestApp;
  let challengeId: string;
  let staff: TestClient;
  let copilot: TestClient;
  let staffActor: Actor;
  const people: Record<string, Actor[]> = {};
  const ideasOf: Record<string, string[]> = {};

  before(async () => {
    app = await startTestApp();
    const copilotUser = await createUser({ name: 'Cora Copilot' });
    const staffUser = await createUser({ roles: ['staff'], name: 'Sam Staff' });
    const created = await createChallenge(app, { phase: 'open', form: { copilots: copilotUser.email }, staff: actorFor(staffUser, ['staff']) });
    challengeId = created.id;
    staffActor = created.staff;
    const { ideas, votes, comments, comparisons } = app.services;
    for (const { segment, people: count, tag } of SEGMENTS) {
      people[segment] = [];
      ideasOf[segment] = [];
      for (let n = 0; n < count; n++) {
        const user = await createUser({ name: `${segment} member ${n + 1}` });
        await User.updateOne({ _id: user.id }, { $set: { profile: { segment, region: 'Europe', customerTier: 'premium' } } });
        const actor = actorFor(user);
        people[segment]!.push(actor);
        // One Retail member only saves a draft: drafts and submissions differ by one.
        const draft = segment === 'Retail' && n === count - 1;
        const body = ideaForm({ title: `${segment} idea ${n + 1}`, tags: tag, intent: draft ? 'save' : 'submit' });
        const { ideaId } = await ideas.createIdea(actor, challengeId, ideaInput.parse(body), body);
        if (!draft) ideasOf[segment]!.push(ideaId);
      }
    }
    for (const ideaId of [...ideasOf.Retail!.slice(0, 3), ...ideasOf['=Healthcare']!.slice(0, 2), ideasOf.Finance![0]!]) await approveIdea(app, created.staff, challengeId, ideaId);
    for (const voter of people['=Healthcare']!) await votes.castVote(voter, ideasOf.Retail![0]!);
    await votes.castVote(people.Retail![0]!, ideasOf['=Healthcare']![0]!);
    for (const author of people.Finance!.slice(0, 2)) await comments.addComment(author, ideasOf.Retail![1]!, { body: 'Good one.' });
    await comparisons.answer(people.Finance![2]!, challengeId, { leftId: ideasOf.Retail![0]!, rightId: ideasOf['=Healthcare']![1]!, choice: 'left' });

    staff = await signedInClient(app.url, staffUser);
    copilot = await signedInClient(app.url, copilotUser);
    await staff.get(`/challenges/${challengeId}`);
    await staff.get(`/challenges/${challengeId}`);
    await new TestClient(app.url).get(`/challenges/${challengeId}`);
    // The counters are written by event subscribers, after the requests answered.
    await eventually(async () => {
      const totals: Record<string, number> = {};
      for (const doc of await InsightDay.find({ _id: new RegExp(`^${challengeId}:`) }).lean())
        for (const [key, n] of Object.entries(doc.c as Record<string, number>)) totals[key] = (totals[key] ?? 0) + n;
      return totals['approved|*'] === 6 && totals['votes|*'] === 6 && totals['comments|*'] === 2 && totals['pairwiseWins|*'] === 1 && totals['visitors|*'] === 2 && totals['participants|*'] === 14;
    }, 'the insights counters');
  });
  after(() => app.close());

  it('shows the funnel and the segments as counted by hand, folding the 3-person segment into “Other”', async () => {
    const page = await staff.get(`/challenges/${challengeId}/insights`);
    assert.equal(page.status, 200);
    // Hand count: 14 people each started an idea, 13 submitted, 6 approved, 2 visitors (staff twice, one anonymous).
    // People and ideas are two funnels: no share runs from one unit to the other.
    assert.deepEqual(row(page.body_, 'funnel-people', 'Visitors').slice(0, 1), ['2']);
    const participants = row(page.body_, 'funnel-people', 'Participants');
    assert.equal(participants[0], '14');
    assert.ok(!participants.some((cell) => cell.endsWith('%')), `no share of visitors: ${participants.join(' | ')}`);
    assert.deepEqual(row(page.body_, 'funnel', 'Ideas started').slice(0, 2), ['14', '']);
    assert.deepEqual(row(page.body_, 'funnel', 'Submitted').slice(0, 3), ['13', '93%', 'Open for ideas: 13']);
    assert.deepEqual(row(page.body_, 'funnel', 'Approved').slice(0, 2), ['6', '46%']);
    // People, visitors, participants, started, submitted, approved, shortlisted, winners, promoted, shipped, votes, comments, pairwise wins.
    assert.deepEqual(row(page.body_, 'segment', 'Retail'), ['6', '0', '6', '6', '5', '3', '0', '0', '0', '0', '1', '0', '1']);
    assert.deepEqual(row(page.body_, 'segment', '&#x3D;Healthcare'), ['5', '0', '5', '5', '5', '2', '0', '0', '0', '0', '5', '0', '0']);
    assert.deepEqual(row(page.body_, 'segment', 'Other (Finance, not stated)').slice(0, 2), ['fewer than 5', '—']);
    // (“not stated”: the staff member who only visited.)
    assert.doesNotMatch(page.body_, /<th scope="row">Finance<\/th>/, 'the small segment never shows on its own');
    // The tag "mobile" has 9 authors (Retail and Finance), "billing" 5.
    assert.deepEqual(row(page.body_, 'tag', 'mobile').slice(0, 4), ['9', '9', '8', '4']);
    assert.match(page.body_, /<svg[^>]*role="img"[^>]*><title id="funnel-chart-title">Ideas<\/title>/);
    assert.match(page.body_, /Retail idea 1 \(5 votes\)/, 'who asked for what: the most voted Retail idea');
    assert.deepEqual(row(page.body_, 'decisions', 'Decisions: Approved'), ['6']);
    assert.deepEqual(row(page.body_, 'sla', 'Sam Staff').slice(0, 1), ['6']);
    assert.match(page.body_, /Waiting for screening now<\/dt>\s*<dd>7;/);

    const filtered = await staff.get(`/challenges/${challengeId}/insights?segment=Retail&tag=mobile`);
    assert.equal(filtered.status, 200);
    assert.deepEqual(row(filtered.body_, 'funnel', 'Ideas started').slice(0, 1), ['6']);
    assert.deepEqual(row(filtered.body_, 'funnel', 'Submitted').slice(0, 1), ['5']);
    assert.deepEqual(row(filtered.body_, 'funnel', 'Approved').slice(0, 1), ['3']);
    const small = await staff.get(`/challenges/${challengeId}/insights?segment=Finance`);
    assert.match(small.body_, /fewer than 5 people: its figures are withheld/);
    assert.deepEqual(row(small.body_, 'funnel', 'Submitted').slice(0, 1), ['—']);
  });

  it('is for staff and the challenge’s copilots only', async () => {
    // The figures are rendered once and shared: the people's names link to their individual views
    // only for staff, who may open them (a copilot would get a 403), in whichever order they come.
    const copilotPage = await copilot.get(`/challenges/${challengeId}/insights`);
    assert.equal(copilotPage.status, 200);
    const staffPage = await staff.get(`/challenges/${challengeId}/insights`);
    const someone = people.Retail![0]!;
    assert.match(staffPage.body_, new RegExp(`<a href="/people/${someone.id}">${someone.name}</a>`));
    assert.match(copilotPage.body_, new RegExp(`<th scope="row">${someone.name}</th>`));
    assert.doesNotMatch(copilotPage.body_, /href="\/people\//);
    assert.equal((await copilot.get(`/people/${someone.id}`)).status, 403);
    assert.match((await copilot.get(`/challenges/${challengeId}`)).body_, /href="\/challenges\/[0-9a-f]+\/insights">Insights</);
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get(`/challenges/${challengeId}/insights`)).status, 403);
    assert.doesNotMatch((await member.get(`/challenges/${challengeId}`)).body_, />Insights</);
    const elsewhere = await createUser({ name: 'Other Copilot' });
    await createChallenge(app, { phase: 'open', form: { copilots: elsewhere.email, title: 'Another challenge' } });
    const other = await signedInClient(app.url, elsewhere);
    assert.equal((await other.get(`/challenges/${challengeId}/insights`)).status, 403);
    assert.equal((await other.get(`/challenges/${challengeId}/insights/segment.csv`)).status, 403);
  });

  it('refuses unknown filters and a range that ends before it starts, keeping the input', async () => {
    const segment = await staff.get(`/challenges/${challengeId}/insights?segment=Nowhere`);
    assert.equal(segment.status, 400);
    assert.match(segment.body_, /No one in this challenge has the segment “Nowhere”/);
    const tag = await staff.get(`/challenges/${challengeId}/insights?tag=unheard-of`);
    assert.equal(tag.status, 400);
    assert.match(tag.body_, /No idea in this challenge has the tag “unheard-of”/);
    const range = await staff.get(`/challenges/${challengeId}/insights?from=2026-03-10&to=2026-03-01&segment=Retail`);
    assert.equal(range.status, 400);
    assert.match(range.body_, /The end date is before the start date/);
    assert.match(range.body_, /id="from" name="from" type="date" value="2026-03-10"/);
    assert.match(range.body_, /id="to" name="to" type="date" value="2026-03-01"/);
    assert.match(range.body_, /<option value="Retail" selected>/);
  });

  it('downloads the segment table as streamed CSV with formula cells neutralised', async () => {
    const response = await staff.get(`/challenges/${challengeId}/insights/segment.csv?tag=mobile`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename=".*-segment\.csv"/);
    const lines = response.body_
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    assert.equal(lines[0], 'Segment,People (authors),Visitors,Participants,Ideas started,Submitted,Approved,Shortlisted,Winners,Promoted,Shipped,Votes,Comments,Pairwise wins');
    // Under a tag, Retail's one vote (on a billing idea) does not count; visitors and participants carry no tag.
    assert.ok(lines.includes('Retail,6,—,—,6,5,3,0,0,0,0,0,0,1'), lines.join('\n'));
    const unfiltered = await staff.get(`/challenges/${challengeId}/insights/segment.csv`);
    assert.match(unfiltered.body_, /\n'=Healthcare,5,0,5,5,5,2,0,0,0,0,5,0,0/, 'a cell starting with = is neutralised');
    assert.equal((await staff.get(`/challenges/${challengeId}/insights/nonsense.csv`)).status, 404);
  });

  it('keeps the outbox’s samples in small parts of the day, listed on its document, and counts every part', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const dayId = `${challengeId}:${today}`;
    const day = await InsightSla.findById(dayId).lean();
    assert.ok(day?.parts?.length, 'the day lists the parts its samples went to');
    const parts = await Promise.all(day.parts.map((part) => InsightSla.findById(`${dayId}:p${part}`).lean()));
    assert.equal(
      parts.reduce((sum, doc) => sum + (doc?.decisions.length ?? 0), 0),
      6,
      'every decision’s sample is in a listed part',
    );
    const everyone = async (query: string) => row((await staff.get(`/challenges/${challengeId}/insights${query}`)).body_, 'sla', 'Everyone (the challenge)')[0];
    // Ranges no other test reads: the page is not served from its few seconds' cache.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = Number(await everyone(`?from=${yesterday}`));
    // A part far from the others (a busy day's later entries): found through the day's list.
    await InsightSla.create({ _id: `${dayId}:p999999`, decisions: [{ ms: 60_000, copilotId: '', at: new Date() }] });
    await InsightSla.updateOne({ _id: dayId }, { $addToSet: { parts: 999999 } });
    try {
      assert.equal(Number(await everyone(`?from=${yesterday}&to=${today}`)), before + 1);
    } finally {
      await InsightSla.deleteOne({ _id: `${dayId}:p999999` });
      await InsightSla.updateOne({ _id: dayId }, { $pull: { parts: 999999 } });
    }
  });

  it('rebuilds the same counters from the source documents, keeping the visitors', async () => {
    const snapshot = async () =>
      Object.fromEntries(
        (await InsightDay.find({ _id: new RegExp(`^${challengeId}:`) }).lean()).map((doc) => [
          doc._id,
          Object.fromEntries(
            Object.entries(doc.c as Record<string, number>)
              .filter(([, n]) => n !== 0)
              .sort(),
          ),
        ]),
      );
    const incremental = await snapshot();
    // Kept by day: the challenge's samples are in its documents of each day.
    const decisionSamples = async () => (await InsightSla.find({ _id: new RegExp(`^${challengeId}:`) }).lean()).reduce((sum, doc) => sum + doc.decisions.length, 0);
    const samples = await decisionSamples();
    const { ms } = await rebuildInsights();
    assert.ok(ms >= 0);
    assert.deepEqual(await snapshot(), incremental);
    assert.equal(await decisionSamples(), samples);
    assert.equal(samples, 6);
  });

  it('lists a part again after a rebuild dropped the parts, so the next decision is counted', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const dayId = `${challengeId}:${today}`;
    assert.equal((await InsightSla.findById(dayId).lean())?.parts?.length ?? 0, 0, 'the rebuild kept every sample in the day’s document');
    await approveIdea(app, staffActor, challengeId, ideasOf['=Healthcare']![2]!);
    await eventually(async () => {
      const parts = (await InsightSla.findById(dayId).lean())?.parts ?? [];
      const docs = await Promise.all(parts.map((part) => InsightSla.findById(`${dayId}:p${part}`).lean()));
      return docs.reduce((sum, doc) => sum + (doc?.decisions.length ?? 0), 0) === 1;
    }, 'the new sample in a listed part');
    const everyone = await row((await staff.get(`/challenges/${challengeId}/insights?to=${today}&from=2000-01-01`)).body_, 'sla', 'Everyone (the challenge)')[0];
    assert.equal(Number(everyone), 7, 'the six rebuilt and the new one');
  });

  it('counts the SLA samples stored before they were kept by day with those of each day', async () => {
    const everyone = async (query: string) => row((await staff.get(`/challenges/${challengeId}/insights${query}`)).body_, 'sla', 'Everyone (the challenge)')[0];
    const today = new Date().toISOString().slice(0, 10);
    const before = Number(await everyone(`?to=${today}`));
    await InsightSla.create({ _id: challengeId, decisions: [{ ms: 60_000, copilotId: '', at: new Date() }] });
    try {
      // Another range than the first read: the page is not served from its few seconds' cache.
      assert.equal(Number(await everyone(`?from=${today}&to=${today}`)), before + 1);
    } finally {
      await InsightSla.deleteOne({ _id: challengeId });
    }
  });

  it('shows each judge’s progress once judging has started', async () => {
    const judged = await challengeInJudging(app, { ideas: 3, judges: 2, perIdea: 2 });
    const page = await staff.get(`/challenges/${judged.id}/insights`);
    assert.equal(page.status, 200);
    // Assigned, submitted, in progress, not started: every judge has the 3 shortlisted ideas and has scored none.
    assert.deepEqual(row(page.body_, 'judges', 'Judge A').slice(0, 4), ['3', '0', '0', '3']);
    assert.match(page.body_, /<title id="judges-chart-title">Raw and calibrated scores per judge<\/title>/);
    assert.match(page.body_, /id="table-criteria"/);
  });
});
