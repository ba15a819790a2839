import { isStaff, type MaybeActor } from '../../shared/actor.ts';
import { isCopilot, type ChallengeAccess } from '../challenges/challenges.policy.ts';

/** A challenge's insights are for staff and its own copilots: they steer it, others may not profile its crowd. */
export const canSeeChallengeInsights = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge);
