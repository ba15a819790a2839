import { isStaff, type MaybeActor } from '../../shared/actor.ts';

/** Staff and admins open anyone's individual view; a member only their own ("My activity"). */
export const canViewPerson = (actor: MaybeActor, userId: string) => actor !== null && (actor.id === userId || isStaff(actor));

/** Whether the view shows everything (staff) rather than what the person may read themself. */
export const seesEverything = (actor: MaybeActor) => isStaff(actor);
