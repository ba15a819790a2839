import { isStaff, type Actor } from '../../shared/actor.ts';
import type { Backlogs } from '../backlogs/backlogs.service.ts';
import type { createItemCatalog } from '../backlogs/item-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { nextActionOf } from '../challenges/next-action.ts';
import { PHASES } from '../challenges/phases.ts';
import type { Screening } from '../curation/screening.service.ts';
import type { IdeaStatus } from '../ideas/idea.model.ts';
import { nextStepOf } from '../ideas/idea-status.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import type { JudgingService } from '../judging/judging.service.ts';
import type { WinnersService } from '../judging/winners.service.ts';
import type { Notifications } from '../notifications/notifications.service.ts';

type Deps = {
  challenges: Challenges;
  ideas: Ideas;
  notifications: Notifications;
  screening: Screening;
  judging: JudgingService;
  backlogs: Backlogs;
  items: ReturnType<typeof createItemCatalog>;
  winners: Pick<WinnersService, 'announced'>;
};

const SHOWN = 5;

/**
 * "What needs me": one signed-in person's home, a section per role they hold. Everything is read
 * from the in-memory catalogs and the documents keyed by this person (ideas, inbox), never by a
 * scan, so the page costs about what the pages it links to cost.
 */
export function createHome(deps: Deps) {
  const { challenges, ideas, notifications, screening, judging, backlogs, items, winners } = deps;

  async function member(actor: Actor) {
    const [mine, inbox, open] = await Promise.all([ideas.myIdeas(actor), notifications.inbox(actor), challenges.listChallenges(actor, { phase: 'open', audience: '', mine: null })]);
    return {
      ideas: mine.slice(0, SHOWN).map(({ idea, challenge }) => ({
        id: String(idea._id),
        title: idea.title,
        status: idea.status,
        nextStep: nextStepOf(idea.status as IdeaStatus, challenge.phase),
        challenge: { id: challenge.id, title: challenge.title },
      })),
      moreIdeas: mine.length > SHOWN,
      news: inbox.notifications.slice(0, SHOWN),
      unread: inbox.unread,
      open: open.slice(0, SHOWN),
    };
  }

  async function judge(actor: Actor) {
    const judged = await judging.myChallenges(actor);
    const boards = await Promise.all(judged.map((challenge) => judging.dashboard(actor, challenge.id)));
    return boards.map((board) => ({ challenge: board.challenge, remaining: board.total - board.done, total: board.total, endsAt: board.endsAt, adaptive: board.adaptive }));
  }

  /** Items waiting in the backlogs this person owns (all backlogs for staff when nobody owns one). */
  async function productTeam(actor: Actor) {
    const owned = (await backlogs.list()).filter((backlog) => backlog.ownerIds.includes(actor.id));
    if (!owned.length) return [];
    const waiting = (await items.all()).filter((item) => item.status === 'proposed');
    return owned.map((backlog) => {
      const proposed = waiting.filter((item) => item.backlogId === backlog.id).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
      return { backlog, count: proposed.length, oldest: proposed.slice(0, SHOWN) };
    });
  }

  async function staff(actor: Actor) {
    if (!isStaff(actor)) return null;
    const all = await challenges.listChallenges(actor, { phase: '', audience: '', mine: null });
    // Only a decided challenge's next step depends on whether its winners are out (one read each).
    const decided = all.filter((challenge) => challenge.phase === 'decided');
    const outcomes = await Promise.all(decided.map((challenge) => winners.announced(challenge.id)));
    const announced = new Set(decided.filter((_, index) => outcomes[index]).map((challenge) => challenge.id));
    return PHASES.map((phase) => ({
      phase,
      challenges: all
        .filter((challenge) => challenge.phase === phase)
        .map((challenge) => ({ id: challenge.id, title: challenge.title, next: nextActionOf(challenge, { winnersAnnounced: announced.has(challenge.id) }) })),
    })).filter((group) => group.challenges.length > 0);
  }

  return {
    async forActor(actor: Actor) {
      const [mine, queues, scorecards, backlogsToReview, challengesByPhase] = await Promise.all([member(actor), screening.myChallenges(actor), judge(actor), productTeam(actor), staff(actor)]);
      return { member: mine, queues, scorecards, backlogs: backlogsToReview, staff: challengesByPhase };
    },
  };
}

export type Home = ReturnType<typeof createHome>;
