import { ROLES, type Role } from './shared/actor.ts';

/** One OpenID Connect identity provider, as configured by OIDC_<ID>_* variables. */
export type OidcProviderConfig = {
  /** Lower-case id from OIDC_PROVIDERS: in the callback path and the stored identities. */
  id: string;
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  displayName: string;
  scope: string;
  groupsClaim: string;
  /** Role → the groups that grant it. Only the roles named here are managed by the provider. */
  roleGroups: Partial<Record<Role, string[]>>;
};

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * Reads OIDC_PROVIDERS=corp,partner and, for each id, OIDC_CORP_ISSUER, OIDC_CORP_CLIENT_ID,
 * OIDC_CORP_CLIENT_SECRET, OIDC_CORP_NAME, OIDC_CORP_SCOPE, OIDC_CORP_GROUPS_CLAIM and
 * OIDC_CORP_ROLES ("staff=idea-team|innovation;admin=it-admins"). Returns the problems found
 * beside the providers, so loadConfig reports them with the rest.
 */
export function parseOidcProviders(env: NodeJS.ProcessEnv): { providers: OidcProviderConfig[]; problems: string[] } {
  const ids = (env.OIDC_PROVIDERS ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
  const problems: string[] = [];
  const providers: OidcProviderConfig[] = [];
  for (const id of new Set(ids)) {
    const key = (name: string) => `OIDC_${id.toUpperCase()}_${name}`;
    if (!/^[a-z0-9]{1,20}$/.test(id)) {
      problems.push(`OIDC_PROVIDERS: "${id}" must be 1 to 20 letters or digits`);
      continue;
    }
    const issuer = env[key('ISSUER')] ?? '';
    let issuerUrl: URL | undefined;
    try {
      issuerUrl = new URL(issuer);
    } catch {
      problems.push(`${key('ISSUER')}: must be the provider's issuer URL`);
    }
    // Plain http only to this machine (a test or development provider): tokens travel in the clear otherwise.
    if (issuerUrl && issuerUrl.protocol !== 'https:' && !(issuerUrl.protocol === 'http:' && LOOPBACK.test(issuerUrl.hostname))) {
      problems.push(`${key('ISSUER')}: must use https (http is allowed for localhost only)`);
    }
    const clientId = env[key('CLIENT_ID')] ?? '';
    if (!clientId) problems.push(`${key('CLIENT_ID')}: required`);
    const roleGroups: Partial<Record<Role, string[]>> = {};
    for (const entry of (env[key('ROLES')] ?? '').split(';').filter((part) => part.trim())) {
      const [role = '', groups = ''] = entry.split('=').map((part) => part.trim());
      if (!(ROLES as readonly string[]).includes(role) || role === 'member') {
        problems.push(`${key('ROLES')}: "${role}" is not a role (use specialist, staff or admin)`);
        continue;
      }
      roleGroups[role as Role] = groups
        .split('|')
        .map((group) => group.trim())
        .filter(Boolean);
    }
    providers.push({
      id,
      issuer,
      clientId,
      clientSecret: env[key('CLIENT_SECRET')] || undefined,
      displayName: env[key('NAME')] || id,
      scope: env[key('SCOPE')] || 'openid email profile',
      groupsClaim: env[key('GROUPS_CLAIM')] || 'groups',
      roleGroups,
    });
  }
  return { providers, problems };
}
