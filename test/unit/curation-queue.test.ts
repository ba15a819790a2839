import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdeaCard, PlacedListener } from '../../src/features/ideas/idea-board.ts';
import { createQueueCache, queuePage } from '../../src/features/curation/queue.ts';
import { createWaitingQueues } from '../../src/features/curation/waiting-queues.ts';
import { decisionProblems, fillPlaceholders } from '../../src/features/curation/decisions.ts';
import { curationRefusal, shortlistEditRefusal } from '../../src/features/curation/curation.policy.ts';
import type { ChallengeAccess } from '../../src/features/challenges/challenges.policy.ts';
import type { Actor, Role } from '../../src/shared/actor.ts';
import { translate, type Text } from '../../src/i18n/i18n.ts';

// Refusals are messages, put into words where they are shown: read here in English.
const english = (text: Text) => translate('en', text);

const HOUR = 3_600_000;
const start = Date.UTC(2026, 10, 1);

function card(n: number, overrides: Partial<IdeaCard> = {}): IdeaCard {
  const submittedAt = new Date(start + n * HOUR);
  return {
    id: `idea${String(n).padStart(20, '0')}`,
    challengeId: 'c',
    title: `Idea ${n}`,
    summary: '',
    authorIds: ['a'],
    invitedIds: [],
    status: 'submitted',
    tags: [],
    submittedAt,
    votes: 0,
    hidden: false,
    hideCause: null,
    openReports: 0,
    reportedComments: 0,
    attachmentCount: 0,
    imageFileId: null,
    queuedAt: submittedAt,
    firstDecisionAt: null,
    news: { submitted: null, approved: null },
    revision: 0,
    ...overrides,
  };
}

describe('the screening queue', () => {
  it('lists waiting ideas oldest first by when they (re)entered the queue, with counts per status', () => {
    const cards = [card(3), card(1), card(2, { queuedAt: new Date(start + 10 * HOUR) }), card(4, { status: 'approved' }), card(5, { status: 'rejected' })];
    const page = queuePage(cards, { status: 'submitted', sort: 'oldest' }, 10);
    assert.deepEqual(
      page.cards.map((c) => c.title),
      ['Idea 1', 'Idea 3', 'Idea 2'],
      'a resubmission queues behind older waiting ideas',
    );
    assert.equal(page.total, 3);
    assert.equal(page.counts.submitted, 3);
    assert.equal(page.counts.approved, 1);
    assert.equal(page.counts.rejected, 1);
    assert.equal(page.counts.all, 5);
    assert.deepEqual(
      queuePage(cards, { status: 'submitted', sort: 'newest' }, 10).cards.map((c) => c.title),
      ['Idea 2', 'Idea 3', 'Idea 1'],
    );
  });

  it('keeps each challenge’s longest-waiting idea as the board places cards: decided, sent back, waiting again, forgotten', async () => {
    // The board's side of it: its cards, and telling its listener of each card it places, as `put` does.
    let cards = [card(3), card(0, { status: 'approved' }), card(1, { queuedAt: new Date(start + 10 * HOUR) }), card(2), card(4, { queuedAt: new Date(start + 2 * HOUR) })];
    let placed: PlacedListener = () => undefined;
    const board = { cards: async () => cards, onPlaced: (listener: PlacedListener) => void (placed = listener) };
    const place = (next: IdeaCard) => {
      const before = cards.find((each) => each.id === next.id);
      cards = [...cards.filter((each) => each.id !== next.id), next];
      placed(next, before);
    };
    const waiting = createWaitingQueues(board);
    const oldest = async () => (await waiting.oldest('c'))?.title;

    assert.equal(await oldest(), queuePage(cards, { status: 'submitted', sort: 'oldest' }, 1).cards[0]!.title);
    assert.equal(await oldest(), 'Idea 2', 'an equal wait goes by id');
    place(card(2, { status: 'approved' }));
    assert.equal(await oldest(), 'Idea 4', 'a decided idea leaves the queue');
    place(card(0, { status: 'submitted', queuedAt: new Date(start - HOUR) }));
    assert.equal(await oldest(), 'Idea 0', 'an idea placed as waiting longer goes first');
    place(card(0, { status: 'changes-requested' }));
    place(card(4, { status: 'rejected' }));
    place(card(3, { status: 'approved' }));
    assert.equal(await oldest(), 'Idea 1');
    place(card(0, { status: 'submitted', queuedAt: new Date(start + 20 * HOUR) }));
    assert.equal(await oldest(), 'Idea 1', 'resubmitted after changes, an idea waits from then');
    place(card(1, { status: 'approved' }));
    assert.equal(await oldest(), 'Idea 0');
    place(card(0, { status: 'draft' }));
    assert.equal(await waiting.oldest('c'), null, 'none waits');

    cards = [card(7), card(6)];
    placed(null, undefined);
    assert.equal(await oldest(), 'Idea 6', 'made again from the board once the board forgot everything');
  });

  it('filters by tag (any case), reports, attachments and a similar-ideas set, and pages by keyset', () => {
    const cards = [card(1, { tags: ['Mobile'] }), card(2, { openReports: 2 }), card(3, { attachmentCount: 1, tags: ['mobile'] }), card(4), card(5, { reportedComments: 2 })];
    const titles = (filters: Parameters<typeof queuePage>[1]) => queuePage(cards, filters, 10).cards.map((c) => c.title);
    assert.deepEqual(titles({ status: 'submitted', sort: 'oldest', tag: 'MOBILE' }), ['Idea 1', 'Idea 3']);
    assert.deepEqual(titles({ status: 'submitted', sort: 'oldest', reported: true }), ['Idea 2', 'Idea 5'], 'an idea with reported comments counts as reported');
    assert.equal(queuePage(cards, { status: 'submitted', sort: 'oldest' }, 10).counts.reported, 3, 'one reported idea and two reported comments');
    assert.deepEqual(titles({ status: 'submitted', sort: 'oldest', attachments: true }), ['Idea 3']);
    assert.deepEqual(titles({ status: 'all', sort: 'oldest', similarIds: new Set([cards[3]!.id, cards[0]!.id]) }), ['Idea 1', 'Idea 4']);
    const first = queuePage(cards, { status: 'submitted', sort: 'oldest' }, 3);
    assert.equal(first.nextAfter, cards[2]!.id);
    const second = queuePage(cards, { status: 'submitted', sort: 'oldest' }, 3, first.nextAfter!);
    assert.deepEqual(
      second.cards.map((c) => c.title),
      ['Idea 4', 'Idea 5'],
    );
    assert.equal(second.nextAfter, null);
  });

  it('measures the moderation SLA from submission to first decision, and the oldest wait', () => {
    const decided = (n: number, hours: number) => card(n, { status: 'approved', firstDecisionAt: new Date(start + n * HOUR + hours * HOUR) });
    const cards = [decided(0, 1), decided(1, 2), decided(2, 3), decided(3, 4), decided(4, 10), card(5), card(6)];
    const sla = createQueueCache(() => 0).sla('c', cards, start + 8 * HOUR);
    assert.equal(sla.decided, 5);
    assert.equal(sla.medianMs, 3 * HOUR);
    assert.equal(sla.p90Ms, 10 * HOUR);
    assert.equal(sla.oldestWaitingMs, 3 * HOUR);
    assert.deepEqual(createQueueCache(() => 0).sla('c', [], start), { decided: 0, medianMs: null, p90Ms: null, oldestWaitingMs: null });
  });

  it('keeps its order and SLA only while the board keeps its version: a decision or a hidden idea shows at once', () => {
    let version = 0;
    const cache = createQueueCache(() => version);
    const cards = [card(1), card(2), card(3)];
    const waiting = () => cache.page('c', cards, { status: 'submitted', sort: 'oldest' }, 10).cards.map((c) => c.title);
    assert.deepEqual(waiting(), ['Idea 1', 'Idea 2', 'Idea 3']);
    assert.equal(cache.sla('c', cards, start + 5 * HOUR).oldestWaitingMs, 4 * HOUR);

    // The board changes its cards in place and moves its version (idea-board.ts put).
    cards[0] = card(1, { status: 'approved', firstDecisionAt: new Date(start + 2 * HOUR) });
    cards[1] = card(2, { hidden: true });
    assert.deepEqual(waiting(), ['Idea 1', 'Idea 2', 'Idea 3'], 'same version: the kept order');
    version++;
    assert.deepEqual(waiting(), ['Idea 2', 'Idea 3'], 'the decided idea left the queue');
    assert.equal(cache.page('c', cards, { status: 'all', sort: 'oldest' }, 10).counts.hidden, 1, 'the hidden idea is counted as hidden');
    assert.deepEqual(cache.sla('c', cards, start + 5 * HOUR), { decided: 1, medianMs: HOUR, p90Ms: HOUR, oldestWaitingMs: 3 * HOUR });
    // Similar-title sets are never kept.
    assert.deepEqual(
      cache.page('c', cards, { status: 'submitted', sort: 'oldest', similarIds: new Set([cards[2]!.id]) }, 10).cards.map((c) => c.title),
      ['Idea 3'],
    );
  });
});

describe('decisions', () => {
  it('fills placeholders and leaves other braces alone', () => {
    assert.equal(fillPlaceholders('Hi {author}: “{title}” in {challenge} {other}', { author: 'Ada', title: 'Tips', challenge: 'Onboarding' }), 'Hi Ada: “Tips” in Onboarding {other}');
  });

  it('asks for a reason to reject, a message to request changes, and a message with “another reason”', () => {
    assert.deepEqual(decisionProblems('approve', '', ''), {});
    assert.ok(decisionProblems('reject', '', 'because').reason);
    assert.ok(decisionProblems('reject', 'other', '').message);
    assert.deepEqual(decisionProblems('reject', 'off-topic', ''), {});
    assert.ok(decisionProblems('request-changes', '', '').message);
  });

  it('refuses a canned response written for another outcome, naming both', () => {
    assert.match(english(decisionProblems('reject', 'off-topic', 'Thanks!', { kind: 'approve' }).responseId ?? ''), /for “Approve”: choose one for “Reject”/);
    assert.deepEqual(decisionProblems('reject', 'off-topic', 'Sorry.', { kind: 'reject' }), {});
  });
});

describe('curation policy', () => {
  const person = (id: string, roles: Role[] = []): Actor => ({ id, name: id, email: `${id}@x.test`, roles: ['member', ...roles], emailVerified: true, timezone: 'UTC' });
  const challenge = (phase: ChallengeAccess['phase']): ChallengeAccess => ({
    phase,
    audience: 'public',
    invitedEmails: [],
    copilotIds: ['copilot'],
    judgeIds: ['judge'],
    submissionVisibility: 'open',
    crowdSees: 'approved',
  });

  it('lets copilots and staff screen while open or curating, and no one else', () => {
    for (const phase of ['open', 'curation'] as const) {
      assert.equal(curationRefusal(person('copilot'), challenge(phase)), null);
      assert.equal(curationRefusal(person('staff', ['staff']), challenge(phase)), null);
      assert.ok(curationRefusal(person('judge'), challenge(phase)), 'a judge does not screen');
      assert.ok(curationRefusal(person('member'), challenge(phase)));
      assert.ok(curationRefusal(null, challenge(phase)));
    }
    assert.match(english(curationRefusal(person('copilot'), challenge('judging'))!), /Screening is over/);
  });

  it('freezes the shortlist at judging: then only staff may change it', () => {
    assert.equal(shortlistEditRefusal(person('copilot'), challenge('curation')), null);
    assert.match(english(shortlistEditRefusal(person('copilot'), challenge('open'))!), /built during curation/);
    assert.match(english(shortlistEditRefusal(person('copilot'), challenge('judging'))!), /frozen/);
    assert.equal(shortlistEditRefusal(person('staff', ['staff']), challenge('judging')), null);
    assert.ok(shortlistEditRefusal(person('member'), challenge('curation')));
  });
});
