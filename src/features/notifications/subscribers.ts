import type { EventSubscriptions } from '../../shared/events.ts';
import type { UserCache } from '../accounts/user-cache.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import { canSeeChallenge } from '../challenges/challenges.policy.ts';
import { PHASE_LABELS, type Phase } from '../challenges/phases.ts';
import type { Follows } from '../community/follows.service.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf, creditedIdsOf } from '../ideas/ideas.service.ts';
import { REJECT_REASON_LABELS, type RejectReason } from '../curation/decisions.ts';
import type { NewNotification, Notifications } from './notifications.service.ts';

/** One notice per new idea, folded into one "N new ideas" notice while the reader has not opened it. */
const newIdeaNotice = (challenge: { id: string; title: string }, ideaId: string, title: string): NewNotification => ({
  kind: 'idea_submitted',
  text: `New idea in “${challenge.title}”: ${title}`,
  link: `/ideas/${ideaId}`,
  group: { key: `new-ideas:${challenge.id}`, text: (count) => `${count} new ideas in “${challenge.title}”, the latest: ${title}`, link: `/challenges/${challenge.id}#ideas-title` },
});

type Deps = { events: EventSubscriptions; notifications: Notifications; follows: Follows; catalog: ChallengeCatalog; users: UserCache };

/**
 * Turns domain events into notifications for the people concerned: never the person who acted,
 * and never about something the recipient may not see (a sealed idea, an invite-only challenge).
 */
export function notifyOnDomainEvents({ events, notifications, follows, catalog, users }: Deps): void {
  /** The recipients, among `ids`, who may see what `visible` checks. */
  async function whoMaySee(ids: string[], visible: (actor: NonNullable<Awaited<ReturnType<UserCache['activeActor']>>>) => boolean) {
    const actors = await Promise.all([...new Set(ids)].map((id) => users.activeActor(id)));
    return actors.filter((actor) => actor !== null && visible(actor)).map((actor) => actor!.id);
  }

  events.on('idea.submitted', async ({ ideaId, challengeId, authorId }) => {
    // Authors follow their idea and its challenge: they hear how both move on.
    await follows.follow(authorId, 'idea', ideaId);
    await follows.follow(authorId, 'challenge', challengeId);
    const [challenge, idea] = await Promise.all([catalog.get(challengeId), Idea.findById(ideaId).lean()]);
    if (!challenge || !idea) return;
    const candidates = [...challenge.copilotIds, ...(await follows.followerIds('challenge', challengeId))];
    const recipients = await whoMaySee(candidates, (actor) => canSeeIdea(actor, accessOf(idea), challenge));
    await notifications.notify(recipients, newIdeaNotice(challenge, ideaId, idea.title), { except: authorId });
  });

  events.on('idea.decided', async ({ ideaId, challengeId, kind, reason, message, byId, title, authorIds }) => {
    const why = [kind === 'reject' && reason ? REJECT_REASON_LABELS[reason as RejectReason] : '', message].filter(Boolean).join(': ');
    const sealed = (await catalog.get(challengeId))?.submissionVisibility === 'sealed';
    const text = {
      // Sealed submissions stay with the team: approval puts the idea in the running, not on show.
      approve: sealed ? `“${title}” is approved: it is in the running` : `“${title}” is approved: everyone in the challenge can see it now`,
      'request-changes': `The copilots asked for changes to “${title}”: ${message}`,
      reject: `“${title}” was not accepted${why ? ` (${why})` : ''}`,
    }[kind];
    await notifications.notify(authorIds, { kind: 'idea_decision', text, link: `/ideas/${ideaId}` }, { except: byId });
    if (kind !== 'approve') return;
    // Approved where the crowd waits for approval: the challenge's followers hear of it now, not at submission.
    const [challenge, idea] = await Promise.all([catalog.get(challengeId), Idea.findById(ideaId).lean()]);
    if (!challenge || !idea || challenge.crowdSees !== 'approved') return;
    const already = new Set([...challenge.copilotIds, ...authorIds]);
    const followers = (await follows.followerIds('challenge', challengeId)).filter((id) => !already.has(id));
    const recipients = await whoMaySee(followers, (actor) => canSeeIdea(actor, accessOf(idea), challenge));
    await notifications.notify(recipients, newIdeaNotice(challenge, ideaId, idea.title), { except: byId });
  });

  // The shortlist froze without the idea: its outcome, told once to everyone credited on it.
  events.on('idea.status_changed', async ({ ideaId, to }) => {
    if (to !== 'not-shortlisted') return;
    const idea = await Idea.findById(ideaId).lean();
    if (!idea) return;
    await notifications.notify(creditedIdsOf(idea), { kind: 'idea_decision', text: `“${idea.title}” did not make the shortlist for judging`, link: `/ideas/${ideaId}` });
  });

  events.on('challenge.phase_changed', async ({ challengeId, to, byId, reason }) => {
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    const recipients = await whoMaySee(await follows.followerIds('challenge', challengeId), (actor) => canSeeChallenge(actor, challenge));
    const why = reason && reason !== 'Scheduled' ? `: ${reason}` : '';
    await notifications.notify(recipients, { kind: 'phase_changed', text: `“${challenge.title}” moved to ${PHASE_LABELS[to as Phase]}${why}`, link: `/challenges/${challengeId}` }, { except: byId });
  });

  events.on('comment.added', async ({ ideaId, challengeId, commentId, authorId, authorName, ideaTitle, mentionedIds }) => {
    const [challenge, idea] = await Promise.all([catalog.get(challengeId), Idea.findById(ideaId).lean()]);
    if (!challenge || !idea) return;
    const maySee = (ids: string[]) => whoMaySee(ids, (actor) => canSeeIdea(actor, accessOf(idea), challenge));
    const link = `/ideas/${ideaId}#comment-${commentId}`;
    const mentioned = await maySee(mentionedIds);
    await notifications.notify(mentioned, { kind: 'mentioned', text: `${authorName} mentioned you on “${ideaTitle}”`, link }, { except: authorId });
    const followers = (await maySee(await follows.followerIds('idea', ideaId))).filter((id) => !mentioned.includes(id));
    await notifications.notify(followers, { kind: 'comment_added', text: `${authorName} commented on “${ideaTitle}”`, link }, { except: authorId });
  });

  events.on('question.asked', async ({ challengeId, byId, byName, title }) => {
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    await notifications.notify(challenge.copilotIds, { kind: 'question_asked', text: `${byName} asked a question on “${title}”`, link: `/challenges/${challengeId}#questions` }, { except: byId });
  });

  events.on('question.answered', async ({ challengeId, askerId, byId, title }) => {
    await notifications.notify([askerId], { kind: 'question_answered', text: `Your question on “${title}” has an answer`, link: `/challenges/${challengeId}#questions` }, { except: byId });
  });

  events.on('challenge.announced', async ({ challengeId, byId, title, text }) => {
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    const recipients = await whoMaySee(await follows.followerIds('challenge', challengeId), (actor) => canSeeChallenge(actor, challenge));
    await notifications.notify(recipients, { kind: 'announcement', text: `Announcement on “${title}”: ${text}`, link: `/challenges/${challengeId}#questions` }, { except: byId });
  });

  events.on('idea.coauthor_invited', async ({ ideaId, userId, byId, byName, title }) => {
    await notifications.notify([userId], { kind: 'coauthor_invited', text: `${byName} invited you to co-author “${title}”`, link: `/ideas/${ideaId}` }, { except: byId });
  });

  events.on('idea.merged', async ({ ideaId, targetId, challengeId, byId, title, targetTitle, creditedIds }) => {
    const [challenge, target] = await Promise.all([catalog.get(challengeId), Idea.findById(targetId).lean()]);
    if (!challenge || !target) return;
    // Everyone credited hears of it; those who may not open the target yet are sent to their own idea.
    const maySeeTarget = await whoMaySee(creditedIds, (actor) => canSeeIdea(actor, accessOf(target), challenge));
    const text = `“${title}” was merged into “${targetTitle}”; you are credited there`;
    await notifications.notify(maySeeTarget, { kind: 'idea_merged', text, link: `/ideas/${targetId}` }, { except: byId });
    await notifications.notify(
      (await whoMaySee(creditedIds, () => true)).filter((id) => !maySeeTarget.includes(id)),
      { kind: 'idea_merged', text, link: `/ideas/${ideaId}` },
      { except: byId },
    );
  });

  events.on('idea.unmerged', async ({ ideaId, byId, title, authorIds }) => {
    await notifications.notify(authorIds, { kind: 'idea_merged', text: `“${title}” was unmerged: it stands on its own again`, link: `/ideas/${ideaId}` }, { except: byId });
  });

  events.on('idea.coauthor_joined', async ({ ideaId, challengeId, userId, name, authorId, title }) => {
    await follows.follow(userId, 'idea', ideaId);
    await follows.follow(userId, 'challenge', challengeId);
    await notifications.notify([authorId], { kind: 'coauthor_joined', text: `${name} is now a co-author of “${title}”`, link: `/ideas/${ideaId}` }, { except: userId });
  });

  // Reports hid something without a copilot: the copilots hear of it, to review it soon.
  events.on('content.moderated', async ({ challengeId, commentId, action, cause, title }) => {
    if (action !== 'hidden' || cause !== 'reports') return;
    const challenge = await catalog.get(challengeId);
    if (!challenge) return;
    const what = commentId ? `A comment on “${title}”` : `“${title}”`;
    await notifications.notify(challenge.copilotIds, { kind: 'report_hidden', text: `${what} is hidden after reports: review it`, link: `/challenges/${challengeId}/curation/reports` });
  });

  // The author hears what happened and why, never who reported it: the payload does not know.
  events.on('content.moderated', async ({ ideaId, commentId, action, cause, reason, authorId, title }) => {
    const what = commentId ? `Your comment on “${title}”` : `Your idea “${title}”`;
    const why = reason ? `: ${reason}` : '.';
    const text =
      action === 'removed'
        ? `${what} was removed by the copilots${why}`
        : action === 'restored'
          ? `${what} is visible to everyone again${why}`
          : cause === 'reports'
            ? `${what} is hidden while the copilots review reports about it.`
            : `${what} was hidden by the copilots${why}`;
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
