export const ROLES = ['member', 'specialist', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking. Services and policies take the actor first; `null` is a signed-out visitor. */
export type Actor = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  emailVerified: boolean;
  timezone: string;
  /** Their chosen language, or '' (then their browser's, else the site's). */
  locale?: string;
  /** Their profile photo's stored file, shown in place of their initials (null or absent: none). */
  avatarFileId?: string | null;
};

export type MaybeActor = Actor | null;

export function hasRole(actor: MaybeActor, role: Role): boolean {
  return actor !== null && actor.roles.includes(role);
}

/** Staff run the platform; admins are staff too. */
export const isStaff = (actor: MaybeActor) => hasRole(actor, 'staff') || hasRole(actor, 'admin');
