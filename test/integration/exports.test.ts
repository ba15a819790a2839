import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import express from 'express';
import mongoose from 'mongoose';
import { pino } from 'pino';
import type { ChallengeView } from '../../src/features/challenges/challenge-catalog.ts';
import { exportsRoutes } from '../../src/features/exports/exports.routes.ts';
import type { Exports } from '../../src/features/exports/exports.service.ts';
import { errorHandler } from '../../src/web/error-handler.ts';
import { requestLog } from '../../src/web/request-log.ts';
import { Idea } from '../../src/features/ideas/idea.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { approveIdea } from '../helpers/curation.ts';
import { TestClient } from '../helpers/http.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

type Row = Record<string, unknown>;
const csvRows = (body: string) => parse(body, { bom: true, columns: true }) as Array<Record<string, string>>;
const csvHeader = (body: string) => (parse(body, { bom: true, to_line: 1 }) as string[][])[0];
const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
/** What a JSON row looks like in CSV: lists joined, nulls empty, everything text. */
const asCsv = (row: Row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : Array.isArray(value) ? value.join('; ') : String(value)]));

async function submitIdea(app: TestApp, author: Awaited<ReturnType<typeof createUser>>, challengeId: string, overrides: Record<string, string>) {
  const body = ideaForm(overrides);
  return (await app.services.ideas.createIdea(actorFor(author), challengeId, ideaInput.parse(body), body)).ideaId;
}

describe('exports of a challenge’s ideas, scores and outcomes', () => {
  let app: TestApp;
  let bulkChallengeId: string;
  const BULK = 300;

  before(async () => {
    app = await startTestApp();
    // Hundreds of ideas straight into the database, before anything loads the app's in-memory
    // idea board (it reads every idea on first use): the board then holds them all.
    bulkChallengeId = (await createChallenge(app, { phase: 'open', form: { title: 'Bulk: the “big” one!' } })).id;
    const authorId = new mongoose.Types.ObjectId((await createUser({ name: 'Bulk Author' })).id);
    await Idea.insertMany(
      Array.from({ length: BULK }, (_, n) => ({
        challengeId: new mongoose.Types.ObjectId(bulkChallengeId),
        authorId,
        title: `Bulk idea ${n}`,
        summary: `Summary ${n}`,
        status: 'submitted',
        tags: ['bulk'],
        submittedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
      })),
    );
  });
  after(() => app.close());

  it('exports the ideas the team sees, and only the screened, visible ones to the crowd, in CSV and JSON alike', async () => {
    const { id, staff } = await createChallenge(app, { phase: 'open', form: { title: 'Greener offices', crowdSees: 'approved' } });
    const ada = await createUser({ name: 'Ada Author' });
    const ben = await createUser({ name: 'Ben Builder' });
    const formula = await submitIdea(app, ada, id, { title: '=SUM(1)', summary: '+1 for plants', tags: 'plants, -dash' });
    const waiting = await submitIdea(app, ben, id, { title: 'Not screened yet', tags: 'later' });
    const hidden = await submitIdea(app, ben, id, { title: 'Hidden away', tags: 'secret' });
    await approveIdea(app, staff, id, formula);
    await approveIdea(app, staff, id, hidden);
    await app.services.moderation.hide(staff, { targetType: 'idea', ideaId: hidden }, 'Off-topic for now');

    const submittedAt = async (ideaId: string) => (await Idea.findById(ideaId).lean())!.submittedAt!.toISOString();
    const row = async (ideaId: string, values: Row) => ({ id: ideaId, ...values, submittedAt: await submittedAt(ideaId), votes: 0, link: `${app.url}/ideas/${ideaId}` });
    const formulaRow = await row(formula, { title: '=SUM(1)', summary: '+1 for plants', status: 'approved', tags: ['plants', '-dash'], authors: ['Ada Author'], hidden: false });
    const waitingRow = await row(waiting, { title: 'Not screened yet', summary: ideaForm().summary, status: 'submitted', tags: ['later'], authors: ['Ben Builder'], hidden: false });
    const hiddenRow = await row(hidden, { title: 'Hidden away', summary: ideaForm().summary, status: 'approved', tags: ['secret'], authors: ['Ben Builder'], hidden: true });
    const order = (row: Row) => ({
      id: row.id,
      title: row.title,
      summary: row.summary,
      status: row.status,
      tags: row.tags,
      submittedAt: row.submittedAt,
      votes: row.votes,
      authors: row.authors,
      hidden: row.hidden,
      link: row.link,
    });

    const team = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    const teamJson = await team.get(`/challenges/${id}/exports/ideas.json`);
    assert.equal(teamJson.status, 200);
    assert.match(teamJson.headers.get('content-type')!, /^application\/json; charset=utf-8/);
    assert.deepEqual(JSON.parse(teamJson.body_), [hiddenRow, waitingRow, formulaRow].map(order), 'newest first, hidden included for the team; the formula title unchanged in JSON');

    const teamCsv = await team.get(`/challenges/${id}/exports/ideas.csv`);
    assert.equal(teamCsv.status, 200);
    assert.equal(teamCsv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(teamCsv.headers.get('content-disposition'), 'attachment; filename="greener-offices-ideas.csv"');
    assert.deepEqual(csvHeader(teamCsv.body_), ['id', 'title', 'summary', 'status', 'tags', 'submittedAt', 'votes', 'authors', 'hidden', 'link']);
    const neutralised = { ...asCsv(order(formulaRow)), title: "'=SUM(1)", summary: "'+1 for plants" };
    assert.deepEqual(csvRows(teamCsv.body_), [asCsv(order(hiddenRow)), asCsv(order(waitingRow)), neutralised]);

    const crowd = await signedInClient(app.url, await createUser({ name: 'Curious Member' }));
    const crowdJson = JSON.parse((await crowd.get(`/challenges/${id}/exports/ideas.json`)).body_) as Row[];
    assert.deepEqual(crowdJson, [order(formulaRow)], 'the crowd gets neither the unscreened idea nor the hidden one');
    const visitorCsv = await new TestClient(app.url).get(`/challenges/${id}/exports/ideas.csv`);
    assert.deepEqual(csvRows(visitorCsv.body_), [neutralised]);
    const germanCsv = await new TestClient(app.url).get(`/challenges/${id}/exports/ideas.csv`, { 'accept-language': 'de' });
    assert.deepEqual(
      csvHeader(germanCsv.body_),
      ['ID', 'Titel', 'Zusammenfassung', 'Status', 'Schlagwörter', 'Eingereicht am', 'Stimmen', 'Autor:innen', 'Ausgeblendet', 'Link'],
      'headings in the requester’s language',
    );
    assert.equal(csvRows(germanCsv.body_).length, 1, 'the same rows');
    assert.doesNotMatch(visitorCsv.body_, /Hidden away|secret/);
  });

  it('refuses a member the ideas of a sealed challenge (403), and gives them to its team', async () => {
    const { id } = await createChallenge(app, { phase: 'open', form: { submissionVisibility: 'sealed' } });
    const author = await createUser();
    await submitIdea(app, author, id, { title: 'Sealed idea' });
    const member = await signedInClient(app.url, await createUser());
    for (const format of ['csv', 'json']) assert.equal((await member.get(`/challenges/${id}/exports/ideas.${format}`)).status, 403, format);
    const authorClient = await signedInClient(app.url, author);
    assert.equal((await authorClient.get(`/challenges/${id}/exports/ideas.csv`)).status, 403, 'an author of a sealed challenge is refused too: the export is of everyone’s ideas');
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    const rows = JSON.parse((await staff.get(`/challenges/${id}/exports/ideas.json`)).body_) as Row[];
    assert.deepEqual(
      rows.map((row) => row.title),
      ['Sealed idea'],
    );

    const page = await member.get(`/challenges/${id}`);
    assert.match(page.body_, new RegExp(`/challenges/${id}/exports/outcomes\\.csv`), 'the challenge page offers the member the outcomes');
    assert.doesNotMatch(page.body_, /exports\/(ideas|scores)\./, 'and not what they may not export');
  });

  it('exports the judges’ scores to staff with judges’ names and to copilots with pseudonyms, and refuses members', async () => {
    const copilot = await createUser({ name: 'Cora Copilot' });
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 2, perIdea: 2, form: { copilots: copilot.email, title: 'Scored challenge' } });
    const judges = challenge.judges.map((judge) => actorFor(judge, ['staff']));
    const given = [
      [
        [5, 4],
        [4, 3],
      ],
      [
        [2, 2],
        [3, 1],
      ],
    ]; // [idea][judge] = [impact, feasibility]
    for (const [n, ideaId] of challenge.ideaIds.entries()) {
      for (const [j, judge] of judges.entries()) {
        const [impact, feasibility] = given[n]![j]!;
        await app.services.scorecards.save(judge, challenge.id, ideaId, {
          criteria: [
            { score: impact!, comment: '' },
            { score: feasibility!, comment: '' },
          ],
          comment: 'Nice',
          privateNote: 'secret note',
          submit: true,
        });
      }
    }
    const ranking = await app.services.results.ranking(challenge.staff, challenge.id);
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    const rows = JSON.parse((await staff.get(`/challenges/${challenge.id}/exports/scores.json`)).body_) as Row[];
    assert.deepEqual(
      rows.filter((row) => row.kind === 'idea'),
      ranking.rows.map((row) => ({
        kind: 'idea',
        ideaId: row.ideaId,
        ideaTitle: row.title,
        scorecards: 2,
        rawMean: round(row.rawMean),
        rawRank: row.rawRank,
        calibratedScore: round(row.calibratedScore),
        calibratedRank: row.calibratedRank,
        rankLow: row.rankLow,
        rankHigh: row.rankHigh,
        crowdScore: null,
        finalRank: row.finalRank,
        judge: null,
        total: null,
        submittedAt: null,
        'criterion: Impact': null,
        'criterion: Feasibility': null,
      })),
    );
    assert.equal(rows[0]!.ideaId, challenge.ideaIds[0], 'the better idea first');
    const cards = rows.filter((row) => row.kind === 'scorecard');
    assert.equal(cards.length, 4);
    const scoresBy = (judgeLabel: (judgeIndex: number) => string) => challenge.ideaIds.flatMap((ideaId, n) => judges.map((_, j) => `${ideaId} ${judgeLabel(j)} ${given[n]![j]!.join('/')}`)).sort();
    const seen = cards.map((row) => `${row.ideaId} ${row.judge} ${row['criterion: Impact']}/${row['criterion: Feasibility']}`).sort();
    assert.deepEqual(
      seen,
      scoresBy((j) => judges[j]!.name),
      'staff see which judge gave which scores',
    );
    assert.ok(cards.every((row) => typeof row.total === 'number' && typeof row.submittedAt === 'string'));
    assert.doesNotMatch(JSON.stringify(rows), /secret note|Nice/, 'no comments or private notes');

    const copilotClient = await signedInClient(app.url, copilot);
    const csv = await copilotClient.get(`/challenges/${challenge.id}/exports/scores.csv`);
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="scored-challenge-scores.csv"');
    const copilotRows = csvRows(csv.body_);
    assert.deepEqual(Object.keys(copilotRows[0]!).slice(-2), ['criterion: Impact', 'criterion: Feasibility']);
    const germanCsv = (await copilotClient.get(`/challenges/${challenge.id}/exports/scores.csv`, { 'accept-language': 'de' })).body_;
    const germanHeader = csvHeader(germanCsv);
    assert.ok(germanHeader);
    // The judges' pseudonyms are the export's own words: German in a German CSV, English in the JSON whatever the language.
    assert.match(germanCsv, /,Juror:in 1,/);
    assert.doesNotMatch(germanCsv, /Judge \d/);
    const germanJson = JSON.parse((await copilotClient.get(`/challenges/${challenge.id}/exports/scores.json`, { 'accept-language': 'de' })).body_) as Array<Record<string, unknown>>;
    assert.deepEqual(germanHeader.slice(0, 3), ['Art', 'Ideen-ID', 'Titel der Idee']);
    assert.deepEqual(germanHeader.slice(-2), ['Kriterium: Impact', 'Kriterium: Feasibility']);
    assert.deepEqual(
      copilotRows.filter((row) => row.kind === 'idea'),
      rows.filter((row) => row.kind === 'idea').map(asCsv),
    );
    assert.deepEqual([...new Set(copilotRows.filter((row) => row.kind === 'scorecard').map((row) => row.judge))].sort(), ['Judge 1', 'Judge 2']);
    assert.deepEqual([...new Set(germanJson.filter((row) => row.kind === 'scorecard').map((row) => row.judge))].sort(), ['Judge 1', 'Judge 2']);
    assert.doesNotMatch(csv.body_, new RegExp(judges.map((judge) => judge.name).join('|')), 'no judge’s name reaches a copilot');

    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get(`/challenges/${challenge.id}/exports/scores.json`)).status, 403);
    assert.equal((await new TestClient(app.url).get(`/challenges/${challenge.id}/exports/scores.csv`)).status, 403);
    const offered = (await staff.get(`/challenges/${challenge.id}`)).body_;
    assert.match(offered, new RegExp(`href="/challenges/${challenge.id}/exports/scores\\.json"`), 'staff are offered the scores, as a link');
    assert.doesNotMatch(offered, /exphbs/, 'no template internals leak into the page');
  });

  it('leaves the authors out of a judge’s ideas export under blind review', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 1, perIdea: 1, blind: true });
    const judge = await signedInClient(app.url, challenge.judges[0]!);
    const judgeRows = JSON.parse((await judge.get(`/challenges/${challenge.id}/exports/ideas.json`)).body_) as Row[];
    assert.deepEqual(
      judgeRows.map((row) => row.authors),
      [[], []],
    );
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    const staffRows = JSON.parse((await staff.get(`/challenges/${challenge.id}/exports/ideas.json`)).body_) as Row[];
    assert.deepEqual(
      staffRows.map((row) => row.authors),
      [['Author 2'], ['Author 1']],
    );
  });

  it('exports the outcomes of a public challenge to a visitor: items, status, latest public note, shipping date, sources and credits', async () => {
    const challenge = await challengeInJudging(app, { ideas: 2, judges: 1, perIdea: 1, form: { title: 'Outcomes challenge' } });
    const { backlogItems } = app.services;
    const shippedItem = (await backlogItems.promote(challenge.staff, challenge.ideaIds[0]!, 'product')).item;
    const proposedItem = (await backlogItems.promote(challenge.staff, challenge.ideaIds[1]!, 'product')).item;
    const mover = { actor: challenge.staff, via: 'web' as const };
    for (const to of ['accepted', 'planned', 'in-progress'] as const) await backlogItems.move(mover, shippedItem.id, to, '');
    const shipped = await backlogItems.move(mover, shippedItem.id, 'shipped', '=Shipped in the March release');
    const shippedAt = shipped.statusHistory.at(-1)!.at.toISOString();

    const visitor = new TestClient(app.url);
    const json = await visitor.get(`/challenges/${challenge.id}/exports/outcomes.json`);
    assert.equal(json.status, 200);
    const expected = [
      {
        id: shippedItem.id,
        backlog: 'product',
        title: 'Shortlisted idea 1',
        status: 'shipped',
        latestNote: '=Shipped in the March release',
        latestNoteAt: shippedAt,
        shippedAt,
        sourceIdeaIds: [challenge.ideaIds[0]],
        sourceIdeaTitles: ['Shortlisted idea 1'],
        contributors: ['Author 1'],
      },
      {
        id: proposedItem.id,
        backlog: 'product',
        title: 'Shortlisted idea 2',
        status: 'proposed',
        latestNote: 'Promoted from “Shortlisted idea 2”',
        latestNoteAt: proposedItem.statusHistory[0]!.at.toISOString(),
        shippedAt: null,
        sourceIdeaIds: [challenge.ideaIds[1]],
        sourceIdeaTitles: ['Shortlisted idea 2'],
        contributors: ['Author 2'],
      },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(JSON.parse(json.body_), expected);

    const csv = await visitor.get(`/challenges/${challenge.id}/exports/outcomes.csv`);
    assert.equal(csv.status, 200);
    assert.deepEqual(
      csvRows(csv.body_),
      expected.map((row) => asCsv({ ...row, latestNote: row.latestNote.startsWith('=') ? `'${row.latestNote}` : row.latestNote })),
    );
  });

  it('streams a challenge with hundreds of ideas in chunks, without a length known in advance', async () => {
    const visitor = new TestClient(app.url);
    for (const format of ['json', 'csv'] as const) {
      const response = await visitor.get(`/challenges/${bulkChallengeId}/exports/ideas.${format}`);
      assert.equal(response.status, 200, format);
      assert.equal(response.headers.get('transfer-encoding'), 'chunked', format);
      assert.equal(response.headers.get('content-length'), null, format);
      assert.equal(response.headers.get('content-disposition'), `attachment; filename="bulk-the-big-one-ideas.${format}"`);
      const rows = format === 'json' ? (JSON.parse(response.body_) as Row[]) : csvRows(response.body_);
      assert.equal(rows.length, BULK, format);
      assert.equal(rows[0]!.title, `Bulk idea ${BULK - 1}`, 'newest first');
      assert.equal(rows[BULK - 1]!.title, 'Bulk idea 0');
    }
  });

  it('cuts the response short and logs when a row fails mid-stream, and answers an error page when the first one does', async () => {
    const logs: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string }) });
    const challenge = (await app.services.challenges.visibleChallenge(null, bulkChallengeId)) as ChallengeView;
    // The service's contract, with rows that fail: the first one, or the 51st.
    const failing = (after: number): Exports => ({
      open: async () => ({
        challenge,
        columns: ['n'],
        rows: (async function* () {
          for (let n = 0; n < after; n++) yield { n };
          throw new Error('the database went away');
        })(),
      }),
    });
    for (const [after, format] of [
      [50, 'csv'],
      [50, 'json'],
      [0, 'csv'],
    ] as const) {
      const web = express();
      web.use(requestLog(logger));
      web.use(exportsRoutes({ exports: failing(after) }));
      web.use(errorHandler(logger));
      const server = web.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/challenges/${bulkChallengeId}/exports/ideas.${format}`, { headers: { accept: 'application/json' } });
        if (after === 0) {
          assert.equal(response.status, 500, 'nothing sent yet: the ordinary error answer');
          assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'internal');
          continue;
        }
        assert.equal(response.status, 200);
        await assert.rejects(response.text(), 'the body ends abruptly, not as a complete-looking file');
        assert.ok(
          logs.some((entry) => entry.level >= 50 && /export failed while streaming/.test(entry.msg)),
          'the failure is logged',
        );
      } finally {
        server.closeAllConnections();
        server.close();
      }
    }
  });

  it('answers 404 for an unknown dataset, format or challenge', async () => {
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'] }));
    assert.equal((await staff.get(`/challenges/${bulkChallengeId}/exports/votes.csv`)).status, 404);
    assert.equal((await staff.get(`/challenges/${bulkChallengeId}/exports/ideas.xml`)).status, 404);
    assert.equal((await staff.get(`/challenges/${new mongoose.Types.ObjectId()}/exports/ideas.csv`)).status, 404);
    const draft = await createChallenge(app, {});
    assert.equal((await new TestClient(app.url).get(`/challenges/${draft.id}/exports/outcomes.json`)).status, 404, 'a draft challenge is not revealed');
  });
});
