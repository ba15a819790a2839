import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { findFreePort } from '../../src/db/embedded-ferretdb.ts';
import { TestClient } from './http.ts';

/** Someone known to the test identity provider; its development login page takes their `login` with any password. */
export type ProviderAccount = { email: string; email_verified: boolean; name: string; groups?: string[] };

export const CLIENT_ID = 'cocreate-test';
export const CLIENT_SECRET = 'a-client-secret-that-is-long-enough-for-hs256-0123456789';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a loopback port, with one
 * confidential client. Start it before the app (the app needs its issuer), then `register`
 * the app's address once it is known.
 */
export async function startOidcProvider(id = 'corp') {
  const port = await findFreePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, ProviderAccount>();
  let codeTtlSeconds = 60;
  let server: Server | undefined;
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  function start(appUrl: string) {
    const provider = new Provider(issuer, {
      clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${appUrl}/auth/oidc/${id}/callback`], post_logout_redirect_uris: [`${appUrl}/`] }],
      jwks: { keys: [{ ...jwk, kid: 'test', use: 'sig', alg: 'RS256' }] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      cookies: { keys: ['test-cookie-key-0123456789'] },
      ttl: { AuthorizationCode: () => codeTtlSeconds, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
      // A first-party client: the person is not asked to consent to what Cocreate reads.
      async loadExistingGrant(ctx) {
        const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
        grant.addOIDCScope('openid email profile groups');
        await grant.save();
        return grant;
      },
      async findAccount(_ctx, sub) {
        const account = accounts.get(sub);
        if (!account) return undefined;
        return { accountId: sub, claims: () => ({ sub, ...account }) };
      },
    });
    server = provider.listen(port, '127.0.0.1') as Server;
  }

  return {
    issuer,
    /** The app's environment for this provider. */
    env: (extra: Record<string, string> = {}) => ({
      OIDC_PROVIDERS: id,
      [`OIDC_${id.toUpperCase()}_ISSUER`]: issuer,
      [`OIDC_${id.toUpperCase()}_CLIENT_ID`]: CLIENT_ID,
      [`OIDC_${id.toUpperCase()}_CLIENT_SECRET`]: CLIENT_SECRET,
      [`OIDC_${id.toUpperCase()}_NAME`]: 'Corp Login',
      [`OIDC_${id.toUpperCase()}_SCOPE`]: 'openid email profile groups',
      ...extra,
    }),
    register: start,
    addAccount(login: string, account: ProviderAccount) {
      accounts.set(login, account);
    },
    /** How long a code stays usable, from now on. */
    setCodeTtl(seconds: number) {
      codeTtlSeconds = seconds;
    },
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

export type TestOidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;

/**
 * Follows the app's "Sign in with …" link through the provider's own login page, as a browser
 * would, and stops at the redirect back to the app's callback: returns that callback URL.
 */
export async function loginAtProvider(app: TestClient, appUrl: string, providerId: string, login: string): Promise<URL> {
  const start = await app.get(`/auth/oidc/${providerId}`);
  if (start.status !== 302) throw new Error(`the sign-in did not redirect to the provider (${start.status}): ${start.body_.slice(0, 300)}`);
  const browser = new TestClient(new URL(start.headers.get('location')!).origin);
  let location = start.headers.get('location')!;
  for (let hop = 0; hop < 10; hop += 1) {
    if (location.startsWith(appUrl)) return new URL(location);
    const page = await browser.get(location);
    if (page.status >= 300 && page.status < 400) {
      location = new URL(page.headers.get('location')!, location).href;
      continue;
    }
    const action = page.body_.match(/<form[^>]*action="([^"]+)"/)?.[1];
    if (!action || !/name="login"/.test(page.body_)) throw new Error(`unexpected provider page (${page.status}): ${page.body_.slice(0, 500)}`);
    const submitted = await browser.post(new URL(action, location).href, { prompt: 'login', login, password: 'any' });
    location = new URL(submitted.headers.get('location')!, location).href;
  }
  throw new Error('too many redirects at the provider');
}
