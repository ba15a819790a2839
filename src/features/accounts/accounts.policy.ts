import { hasRole, isStaff, type MaybeActor, type Role } from '../../shared/actor.ts';

/** Who may do what with accounts. Pure: routes, views and tests all ask these same functions. */

export const canSeeUserList = (actor: MaybeActor) => isStaff(actor);

export const canViewAuditLog = (actor: MaybeActor) => hasRole(actor, 'admin');

/** Roles the actor may grant or take away: staff vouch for specialists; admins manage all. */
export function rolesActorMayChange(actor: MaybeActor): Role[] {
  if (hasRole(actor, 'admin')) return ['specialist', 'staff', 'admin'];
  if (hasRole(actor, 'staff')) return ['specialist'];
  return [];
}

/**
 * May the actor move the target from `before` to `after` roles? Every change must be one the actor
 * may make, `member` is never removed, and an admin cannot remove their own admin role (that is
 * how a site loses its last administrator).
 */
export function canChangeRoles(actor: MaybeActor, targetId: string, before: Role[], after: Role[]): boolean {
  if (!actor) return false;
  const allowed = new Set(rolesActorMayChange(actor));
  const changed = [...new Set([...before, ...after])].filter((role) => before.includes(role) !== after.includes(role));
  if (changed.length === 0) return allowed.size > 0;
  if (changed.includes('member')) return false;
  if (!changed.every((role) => allowed.has(role))) return false;
  return !(actor.id === targetId && before.includes('admin') && !after.includes('admin'));
}

/**
 * A deleted account is an anonymous shell kept for the ideas and votes that refer to it: no role,
 * suspension or second erasure applies to it any more (reinstating it would bring back no one).
 */
export const isManageableAccount = (target: { deleted: boolean }) => !target.deleted;

/** Admins suspend anyone but themselves. */
export const canSuspend = (actor: MaybeActor, targetId: string) => hasRole(actor, 'admin') && actor?.id !== targetId;

/** Admins choose how people sign in. */
export const canManageSignIn = (actor: MaybeActor) => hasRole(actor, 'admin');

/**
 * With password sign-in turned off, admins keep it: if the identity provider fails, someone must
 * still be able to get in and turn passwords back on.
 */
export const mayUsePassword = (actor: MaybeActor, passwordSignIn: boolean) => passwordSignIn || hasRole(actor, 'admin');
