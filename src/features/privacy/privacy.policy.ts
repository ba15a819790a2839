import { hasRole, type MaybeActor } from '../../shared/actor.ts';

/**
 * Anyone may delete their own account, except an admin (another admin takes their role first, so a
 * site never erases its last administrator); admins delete other people's accounts on request.
 */
export function canEraseAccount(actor: MaybeActor, targetId: string): boolean {
  if (!actor) return false;
  if (actor.id === targetId) return !hasRole(actor, 'admin');
  return hasRole(actor, 'admin');
}
