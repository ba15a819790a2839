import { hasRole, isStaff, type MaybeActor } from '../../shared/actor.ts';

export type BacklogAccess = { ownerIds: string[] };

export const isOwner = (actor: MaybeActor, backlog: BacklogAccess) => actor !== null && backlog.ownerIds.includes(actor.id);

/** Admins add backlogs and name their owners. */
export const canManageBacklogs = (actor: MaybeActor) => hasRole(actor, 'admin');

/** Staff and the backlog's owners promote ideas into it. */
export const canPromoteInto = (actor: MaybeActor, backlog: BacklogAccess) => isStaff(actor) || isOwner(actor, backlog);

/**
 * The owners move its items (admins too); a backlog nobody owns yet is worked by staff, so a new
 * installation works before anyone is named.
 */
export const canMoveItems = (actor: MaybeActor, backlog: BacklogAccess) => hasRole(actor, 'admin') || isOwner(actor, backlog) || (backlog.ownerIds.length === 0 && isStaff(actor));

/** Staff and owners of any backlog see the boards and review challenges' entries. */
export const canSeeBoards = (actor: MaybeActor, backlogs: BacklogAccess[]) => isStaff(actor) || backlogs.some((backlog) => isOwner(actor, backlog));
