import { isStaff, type MaybeActor } from '../../shared/actor.ts';

/** Staff and admins open anyone's individual view; a member only their own ("My activity"). */
export const canViewPerson = (actor: MaybeActor, userId: string) => actor !== null && (actor.id === userId || canViewAnyone(actor));

/** Staff open anyone's view: the insights page links its people to theirs for them only. */
export const canViewAnyone = (actor: MaybeActor) => isStaff(actor);

/** Whether the view shows everything (staff) rather than what the person may read themself. */
export const seesEverything = (actor: MaybeActor) => isStaff(actor);
