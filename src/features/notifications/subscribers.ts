import { message as msg } from '../../i18n/i18n.ts';
import type { EventSubscriptions } from '../../shared/events.ts';
import type { UserCache } from '../accounts/user-cache.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import { canSeeChallenge } from '../challenges/challenges.policy.ts';
import type { Follows } from '../community/follows.service.ts';
import { Idea } from '../ideas/idea.model.ts';
import { toCard, type IdeaBoard } from '../ideas/idea-board.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf, accessOfCard, creditedIdsOf } from '../ideas/ideas.service.ts';
import { Winners } from '../judging/winners.model.ts';
import type { NewNotification, Notifications } from './notifications.service.ts';

/** One notice per new idea, folded into one "N new ideas" notice while the reader has not opened it. */
const newIdeaNotice = (challenge: { id: string; title: string }, ideaId: string, title: string): NewNotification => ({
  kind: 'idea_submitted',
  text: msg('notifications.newIdea', { challenge: challenge.title, title }),
  link: `/ideas/${ideaId}`,
  group: { key: `new-ideas:${challenge.id}`, text: (count) => msg('notifications.newIdeas', { count, challenge: challenge.title, title }), link: `/challenges/${challenge.id}#ideas-title` },
});

/** "… was not accepted", with the copilots' reason and message when they gave them. */
function rejection(title: string, reason: string | null | undefined, note: string | null | undefined) {
  const why = reason ? msg(`common.rejectReason.${reason}`) : null;
  if (why && note) return msg('notifications.rejectedWhyMessage', { title, reason: why, message: note });
  if (why || note) return msg('notifications.rejectedWhy', { title, reason: why ?? note! });
  return msg('notifications.rejected', { title });
}

type Deps = { events: EventSubscriptions; notifications: Notifications; follows: Follows; catalog: ChallengeCatalog; users: UserCache; board: IdeaBoard };

/**
 * Turns domain events into notifications for the people concerned: never the person who acted,
 * and never about something the recipient may not see (a sealed idea, an invite-only challenge).
 */
export function notifyOnDomainEvents({ events, notifications, follows, catalog, users, board }: Deps): void {
  /**
   * The idea as its board card holds it (no read), as the event left it (`told`: the news it
   * carries is on the card); read when this process's board has not caught up with it yet.
   */
  async function cardOf(ideaId: string, told: (card: ReturnType<typeof toCard>) => boolean) {
    const card = await board.card(ideaId);
    if (card && told(card)) return card;
    const idea = await Idea.findById(ideaId).lean();
    return idea ? toCard(idea) : null;
  }

  /** The recipients, among `ids`, who may see what `visible` checks. */
  async function whoMaySee(ids: string[], visible: (actor: NonNullable<Awaited<ReturnType<UserCache['activeActor']>>>) => boolean) {
    const actors = await Promise.all([...new Set(ids)].map((id) => users.activeActor(id)));
    return actors.filter((actor) => actor !== null && visible(actor)).map((actor) => actor!.id);
  }

  events.on('idea.submitted', async ({ ideaId, challengeId, authorId }) => {
    // Authors follow their idea and its challenge: they hear how both move on. In an outbox round
    // the follows are held for its end (follows.service.ts). The challenge's followers are read
    // first (they are told anyway): most authors follow it from an earlier idea.
    await follows.follow(authorId, 'idea', ideaId);
    const [challenge, card, followers] = await Promise.all([catalog.get(challengeId), cardOf(ideaId, (card) => card.news.submitted !== null), follows.followerIds('challenge', challengeId)]);
    if (!followers.includes(authorId)) await follows.follow(authorId, 'challenge', challengeId);
    if (!challenge || !card) return;
    // Its co-authors, invited with it, hear of it from their invitation, not as someone else's news.
    const own = new Set([authorId, ...card.authorIds, ...card.invitedIds]);
    const candidates = [...challenge.copilotIds, ...followers].filter((id) => !own.has(id));
    // Who could see it as submitted, even when its card is further on by now (applied late: the
    // demo seed, a replay): those the approval tells (below) are the others, so none hears twice.
    const asSubmitted = { ...accessOfCard(card), status: 'submitted' as const };
    const maySee = (ids: string[]) => whoMaySee(ids, (actor) => canSeeIdea(actor, asSubmitted, challenge));
    await notifications.tellNews(candidates, challengeId, card.news.submitted, newIdeaNotice(challenge, ideaId, card.title), maySee);
  });

  events.on('idea.decided', async ({ ideaId, challengeId, kind, reason, message, byId, title, authorIds }) => {
    const sealed = (await catalog.get(challengeId))?.submissionVisibility === 'sealed';
    const text = {
      // Sealed submissions stay with the team: approval puts the idea in the running, not on show.
      approve: () => msg(sealed ? 'notifications.approvedSealed' : 'notifications.approved', { title }),
      'request-changes': () => msg('notifications.changesRequested', { title, message }),
      reject: () => rejection(title, reason, message),
    }[kind]();
    await notifications.notify(authorIds, { kind: 'idea_decision', text, link: `/ideas/${ideaId}` }, { except: byId });
    if (kind !== 'approve') return;
    // Approved where the crowd waits for approval: the challenge's followers hear of it now, not at submission.
    const challenge = await catalog.get(challengeId);
    if (!challenge || challenge.crowdSees !== 'approved') return;
    const card = await cardOf(ideaId, (card) => card.news.approved !== null);
    if (!card) return;
    // Invited co-authors who have not answered yet are not among `authorIds`: their invitation told them.
    const already = new Set([...challenge.copilotIds, ...authorIds, ...card.authorIds, ...card.invitedIds, byId]);
    const followers = (await follows.followerIds('challenge', challengeId)).filter((id) => !already.has(id));
    // Those who could see it submitted (staff, the team) were told then: this one is for the crowd.
    const access = accessOfCard(card);
    const toldAtSubmission = (actor: Parameters<typeof canSeeIdea>[0]) => canSeeIdea(actor, { ...access, status: 'submitted' }, challenge);
    const maySee = (ids: string[]) => whoMaySee(ids, (actor) => canSeeIdea(actor, access, challenge) && !toldAtSubmission(actor));
    await notifications.tellNews(followers, challengeId, card.news.approved, newIdeaNotice(challenge, ideaId, card.title), maySee);
  });

  // An idea's outcome at the shortlist and at the results, told once to everyone credited on it,
  // from the move itself: whichever path made it (the freeze, an announcement, the schedule, an
  // admin's change), and however often that path was applied after a stop halfway.
  events.on('idea.status_changed', async ({ ideaId, challengeId, from, to }) => {
    if (to !== 'not-shortlisted' && to !== 'winner' && to !== 'not-awarded') return;
    const idea = await Idea.findById(ideaId).lean();
    if (!idea) return;
    const authors = creditedIdsOf(idea);
    const title = idea.title;
    if (to === 'not-shortlisted') {
      await notifications.notify(authors, { kind: 'idea_decision', text: msg('notifications.notShortlisted', { title }), link: `/ideas/${ideaId}` });
      return;
    }
    const [challenge, winners] = await Promise.all([catalog.get(challengeId), Winners.findById(challengeId).lean()]);
    if (!challenge) return;
    const said = { title, challenge: challenge.title };
    if (to === 'winner') {
      // The prize as the move gave it (its history note): applied later, the awards may have changed since.
      const crowned = [...idea.statusHistory].reverse().find((step) => step.status === 'winner')?.noteParams as { tier?: string } | undefined;
      const tier = crowned?.tier ?? winners?.awards.find((award) => award.ideaId === ideaId)?.tier ?? '';
      await notifications.notify(authors, { kind: 'winners_announced', text: msg('notifications.won', { ...said, tier }), link: `/ideas/${ideaId}` });
    } else if (from === 'winner') {
      await notifications.notify(authors, { kind: 'winners_announced', text: msg('notifications.noLongerWinner', said), link: `/ideas/${ideaId}` });
    } else {
      // Said of this idea: an author who won with another one hears of each.
      await notifications.notify(authors, { kind: 'winners_announced', text: msg('notifications.notAwarded', said), link: `/challenges/${challengeId}#results` });
    }
  });

  events.on('challenge.phase_changed', async ({ challengeId, to, byId, reason }) => {
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    const recipients = await whoMaySee(await follows.followerIds('challenge', challengeId), (actor) => canSeeChallenge(actor, challenge));
    const said = { challenge: challenge.title, phase: msg(`common.phase.${to}`) };
    const text = reason && reason !== 'Scheduled' ? msg('notifications.phaseChangedWhy', { ...said, reason }) : msg('notifications.phaseChanged', said);
    await notifications.notify(recipients, { kind: 'phase_changed', text, link: `/challenges/${challengeId}` }, { except: byId });
  });

  events.on('comment.added', async ({ ideaId, challengeId, commentId, authorId, authorName, ideaTitle, mentionedIds }) => {
    // Who may see the idea, from its card as the comment's own request checked it (ideas.service.ts, visibleFacts).
    const [challenge, card] = await Promise.all([catalog.get(challengeId), cardOf(ideaId, () => true)]);
    if (!challenge || !card) return;
    const access = accessOfCard(card);
    const maySee = (ids: string[]) => whoMaySee(ids, (actor) => canSeeIdea(actor, access, challenge));
    const link = `/ideas/${ideaId}#comment-${commentId}`;
    const mentioned = await maySee(mentionedIds);
    await notifications.notify(mentioned, { kind: 'mentioned', text: msg('notifications.mentioned', { name: authorName, title: ideaTitle }), link }, { except: authorId });
    const followers = (await maySee(await follows.followerIds('idea', ideaId))).filter((id) => !mentioned.includes(id));
    await notifications.notify(followers, { kind: 'comment_added', text: msg('notifications.commented', { name: authorName, title: ideaTitle }), link }, { except: authorId });
  });

  events.on('question.asked', async ({ challengeId, byId, byName, title }) => {
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    await notifications.notify(
      challenge.copilotIds,
      { kind: 'question_asked', text: msg('notifications.questionAsked', { name: byName, title }), link: `/challenges/${challengeId}#questions` },
      { except: byId },
    );
  });

  events.on('question.answered', async ({ challengeId, askerId, byId, title }) => {
    await notifications.notify([askerId], { kind: 'question_answered', text: msg('notifications.questionAnswered', { title }), link: `/challenges/${challengeId}#questions` }, { except: byId });
  });

  events.on('challenge.announced', async ({ challengeId, byId, title, text }) => {
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    const recipients = await whoMaySee(await follows.followerIds('challenge', challengeId), (actor) => canSeeChallenge(actor, challenge));
    await notifications.notify(recipients, { kind: 'announcement', text: msg('notifications.announcement', { title, text }), link: `/challenges/${challengeId}#announcements` }, { except: byId });
  });

  events.on('idea.coauthor_invited', async ({ ideaId, userId, byId, byName, title }) => {
    await notifications.notify([userId], { kind: 'coauthor_invited', text: msg('notifications.coauthorInvited', { name: byName, title }), link: `/ideas/${ideaId}` }, { except: byId });
  });

  events.on('idea.merged', async ({ ideaId, targetId, challengeId, byId, title, targetTitle, creditedIds }) => {
    const [challenge, target] = await Promise.all([catalog.get(challengeId), Idea.findById(targetId).lean()]);
    if (!challenge || !target) return;
    // Everyone credited hears of it; those who may not open the target yet are sent to their own idea.
    const maySeeTarget = await whoMaySee(creditedIds, (actor) => canSeeIdea(actor, accessOf(target), challenge));
    const text = msg('notifications.merged', { title, target: targetTitle });
    await notifications.notify(maySeeTarget, { kind: 'idea_merged', text, link: `/ideas/${targetId}` }, { except: byId });
    await notifications.notify(
      (await whoMaySee(creditedIds, () => true)).filter((id) => !maySeeTarget.includes(id)),
      { kind: 'idea_merged', text, link: `/ideas/${ideaId}` },
      { except: byId },
    );
  });

  events.on('idea.unmerged', async ({ ideaId, byId, title, authorIds }) => {
    await notifications.notify(authorIds, { kind: 'idea_merged', text: msg('notifications.unmerged', { title }), link: `/ideas/${ideaId}` }, { except: byId });
  });

  events.on('idea.coauthor_joined', async ({ ideaId, challengeId, userId, name, authorId, title }) => {
    await follows.follow(userId, 'idea', ideaId);
    await follows.follow(userId, 'challenge', challengeId);
    await notifications.notify([authorId], { kind: 'coauthor_joined', text: msg('notifications.coauthorJoined', { name, title }), link: `/ideas/${ideaId}` }, { except: userId });
  });

  // Reports hid something without a copilot: the copilots hear of it, to review it soon.
  events.on('content.moderated', async ({ challengeId, commentId, action, cause, title }) => {
    if (action !== 'hidden' || cause !== 'reports') return;
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    const what = msg(commentId ? 'notifications.aComment' : 'notifications.anIdea', { title });
    await notifications.notify(challenge.copilotIds, { kind: 'report_hidden', text: msg('notifications.reportHidden', { what }), link: `/challenges/${challengeId}/curation/reports` });
  });

  // The author hears what happened and why, never who reported it: the payload does not know.
  events.on('content.moderated', async ({ ideaId, commentId, action, cause, reason, authorId, title }) => {
    const what = msg(commentId ? 'notifications.yourComment' : 'notifications.yourIdea', { title });
    const said = action === 'removed' ? 'removed' : action === 'restored' ? 'restored' : cause === 'reports' ? 'hiddenForReports' : 'hidden';
    const text = reason && said !== 'hiddenForReports' ? msg(`notifications.${said}Why`, { what, reason }) : msg(`notifications.${said}`, { what });
    const idea = commentId ? null : await Idea.findById(ideaId).lean();
    const recipients = idea
      ? [
          authorId,
          ...accessOf(idea)
            .coAuthors.filter((c) => c.status === 'accepted')
            .map((c) => c.userId),
        ]
      : [authorId];
    await notifications.notify(recipients, { kind: 'content_moderated', text, link: commentId ? `/ideas/${ideaId}#comment-${commentId}` : `/ideas/${ideaId}` });
  });
}
