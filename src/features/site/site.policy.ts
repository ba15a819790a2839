import { hasRole, type MaybeActor } from '../../shared/actor.ts';

/** The site's name, logo and colour are an admin's to change. */
export const canManageBranding = (actor: MaybeActor) => hasRole(actor, 'admin');
