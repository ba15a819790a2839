import type { EventBus } from '../../shared/events.ts';
import type { UserCache } from '../accounts/user-cache.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import { canSeeChallenge } from '../challenges/challenges.policy.ts';
import { PHASE_LABELS, type Phase } from '../challenges/phases.ts';
import type { Follows } from '../community/follows.service.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import type { Notifications } from './notifications.service.ts';

type Deps = { events: EventBus; notifications: Notifications; follows: Follows; catalog: ChallengeCatalog; users: UserCache };

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
    await notifications.notify(recipients, { kind: 'idea_submitted', text: `New idea in “${challenge.title}”: ${idea.title}`, link: `/ideas/${ideaId}` }, { except: authorId });
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

  events.on('idea.coauthor_joined', async ({ ideaId, challengeId, userId, name, authorId, title }) => {
    await follows.follow(userId, 'idea', ideaId);
    await follows.follow(userId, 'challenge', challengeId);
    await notifications.notify([authorId], { kind: 'coauthor_joined', text: `${name} is now a co-author of “${title}”`, link: `/ideas/${ideaId}` }, { except: userId });
  });
}
