import type { Actor, Role } from '../../shared/actor.ts';

type UserLike = { _id: unknown; name: string; email: string; roles: string[]; emailVerifiedAt?: Date | null; timezone?: string | null; locale?: string | null; avatarFileId?: string | null };

export function toActor(user: UserLike): Actor {
  return {
    id: String(user._id),
    name: user.name,
    email: user.email,
    roles: user.roles as Role[],
    emailVerified: Boolean(user.emailVerifiedAt),
    timezone: user.timezone || 'UTC',
    locale: user.locale ?? '',
    avatarFileId: user.avatarFileId ?? null,
  };
}
