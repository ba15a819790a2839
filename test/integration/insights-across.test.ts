import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mongoose from 'mongoose';
import { User } from '../../src/features/accounts/user.model.ts';
import { ideaInput } from '../../src/features/ideas/ideas.schemas.ts';
import { InsightMark } from '../../src/features/insights/insights.model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorFor, createChallenge } from '../helpers/challenges.ts';
import { eventually } from '../helpers/eventually.ts';
import { ideaForm } from '../helpers/ideas.ts';
import { challengeInJudging } from '../helpers/judging.ts';
import { createUser, signedInClient } from '../helpers/users.ts';

describe('insights across challenges', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('counts a person once across challenges, so a small group stays folded; lists challenges that shipped work', async () => {
    const first = await createChallenge(app, { phase: 'open' });
    const second = await createChallenge(app, { phase: 'open' });
    // Three people of one segment, each with an idea in both challenges: 3 people, not 6.
    const few = await Promise.all([1, 2, 3].map((n) => createUser({ name: `Tiny ${n}` })));
    await User.updateMany({ _id: mongoose.trusted({ $in: few.map((person) => person.id) }) }, { $set: { 'profile.segment': 'Tiny' } });
    for (const person of few) {
      for (const challenge of [first, second]) {
        const body = ideaForm({ title: `${person.name} in ${challenge.id}` });
        await app.services.ideas.createIdea(actorFor(person), challenge.id, ideaInput.parse(body), body);
      }
    }
    await eventually(
      async () => (await InsightMark.countDocuments({ _id: mongoose.trusted({ $in: few.map((person) => `participant:all:${person.id}`) }) })) === 3,
      'each person counted once across challenges',
    );

    const judged = await challengeInJudging(app, { ideas: 1, judges: 1, perIdea: 1 });
    const staffActor = actorFor(await createUser({ roles: ['staff'], name: 'Sam Staff' }), ['staff']);
    const { item } = await app.services.backlogItems.promote(staffActor, judged.ideaIds[0]!, 'product');
    for (const to of ['accepted', 'planned', 'in-progress'] as const) await app.services.backlogItems.move({ actor: staffActor, via: 'web' }, item.id, to, '');
    await app.services.backlogItems.move({ actor: staffActor, via: 'web' }, item.id, 'shipped', 'Out now.');

    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'], name: 'Stan Staff' }));
    const page = await staff.get('/insights');
    assert.equal(page.status, 200);
    const segments = page.body_.match(/<table class="table" id="table-segment">[\s\S]*?<\/table>/)?.[0] ?? '';
    assert.match(segments, /Other/);
    assert.doesNotMatch(segments, /<th scope="row">Tiny<\/th>/, 'three people are not shown on their own');
    const shipped = page.body_.match(/<table class="table" id="table-shipped-by-challenge">[\s\S]*?<\/table>/)?.[0] ?? '';
    assert.match(shipped, new RegExp(`<th scope="row">Make onboarding delightful</th><td>1</td><td>1</td>`));

    const backwards = await staff.get('/insights?from=2026-05-10&to=2026-05-01');
    assert.equal(backwards.status, 400);
    assert.match(backwards.body_, /The end date is before the start date\./);
    assert.match(backwards.body_, /value="2026-05-10"/, 'the input is kept');
    const member = await signedInClient(app.url, await createUser());
    assert.equal((await member.get('/insights')).status, 403);
  });

  it('lists the challenge’s most active people with links into their individual view', async () => {
    const judged = await challengeInJudging(app, { ideas: 2, judges: 1, perIdea: 1 });
    const staff = await signedInClient(app.url, await createUser({ roles: ['staff'], name: 'Sue Staff' }));
    const page = await staff.get(`/challenges/${judged.id}/insights`);
    assert.equal(page.status, 200);
    assert.match(page.body_, new RegExp(`<a href="/people/${judged.authors[0]!.id}">Author 1</a>`));
  });
});
