import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions } from 'openid-client/passport';
import type { Request } from 'express';
import type { OidcProviderConfig } from '../../sso-config.ts';
import type { Logger } from '../../shared/logger.ts';
import type { createPassport } from './passport.ts';
import type { Sso, SsoOutcome, VerifiedClaims } from './sso.service.ts';

type Passport = ReturnType<typeof createPassport>;

/** What a provider's callback hands the route: the outcome, and the ID token for signing out there. */
export type OidcResult = { outcome: SsoOutcome; idToken: string | undefined };

/**
 * openid-client's strategy sends `state` only when the provider lacks PKCE. We always send a state
 * and a nonce too: the strategy keeps both in the session and the callback must match them, so a
 * forged or replayed callback fails even at a provider whose PKCE support is lax.
 */
class StrictStrategy extends Strategy {
  override authorizationRequestParams<TOptions extends AuthenticateOptions>(req: Request, options: TOptions) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    return params;
  }
}

/**
 * One Passport strategy per configured provider, named `oidc-<id>`. The provider's discovery
 * document is fetched on first use (createApp does no I/O), and again after a failure.
 */
export function createOidcStrategies(deps: { providers: OidcProviderConfig[]; passport: Passport; sso: Sso; publicUrl: string; logger: Logger }) {
  const ready = new Map<string, Promise<client.Configuration>>();

  function discover(provider: OidcProviderConfig): Promise<client.Configuration> {
    const issuer = new URL(provider.issuer);
    // Plain http is accepted by the configuration for loopback issuers only (see sso-config.ts).
    const execute = issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
    return client.discovery(issuer, provider.clientId, provider.clientSecret, provider.clientSecret ? undefined : client.None(), { execute });
  }

  async function strategyFor(provider: OidcProviderConfig): Promise<client.Configuration> {
    let pending = ready.get(provider.id);
    if (!pending) {
      pending = discover(provider).then((config) => {
        const strategy = new StrictStrategy(
          {
            config,
            name: `oidc-${provider.id}`,
            sessionKey: `oidc:${provider.id}`,
            scope: provider.scope,
            callbackURL: `${deps.publicUrl}/auth/oidc/${provider.id}/callback`,
            passReqToCallback: true,
          },
          (_req, tokens, verified) => {
            claimsOf(config, tokens)
              .then((claims) => deps.sso.signInWithIdentity(provider.id, claims))
              .then(
                (outcome) => verified(null, { outcome, idToken: tokens.id_token } satisfies OidcResult as unknown as Express.User),
                (error: unknown) => verified(error),
              );
          },
        );
        deps.passport.use(strategy.name, strategy);
        return config;
      });
      pending.catch((error: unknown) => {
        ready.delete(provider.id);
        deps.logger.error({ err: error }, `discovering the ${provider.displayName} sign-in (${provider.issuer}) failed`);
      });
      ready.set(provider.id, pending);
    }
    return pending;
  }

  return {
    providers: deps.providers,
    provider: (id: string) => deps.providers.find((provider) => provider.id === id),
    /** Ensures the provider's strategy exists; returns its Passport name. */
    async strategyName(provider: OidcProviderConfig): Promise<string> {
      await strategyFor(provider);
      return `oidc-${provider.id}`;
    },
    /** Where to end the session at the provider too, when it offers that. */
    async endSessionUrl(providerId: string, idToken: string | undefined): Promise<string | undefined> {
      const provider = deps.providers.find((entry) => entry.id === providerId);
      if (!provider) return undefined;
      const config = await strategyFor(provider).catch(() => undefined);
      if (!config?.serverMetadata().end_session_endpoint) return undefined;
      const params: Record<string, string> = { client_id: provider.clientId, post_logout_redirect_uri: `${deps.publicUrl}/` };
      if (idToken) params.id_token_hint = idToken;
      return client.buildEndSessionUrl(config, params).href;
    },
  };
}

/** The ID token's claims, completed by the userinfo endpoint (where providers often put email and groups). */
async function claimsOf(config: client.Configuration, tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): Promise<VerifiedClaims> {
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('the provider sent no ID token');
  if (!config.serverMetadata().userinfo_endpoint) return idClaims as VerifiedClaims;
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  return { ...userinfo, ...idClaims } as VerifiedClaims;
}

export type OidcStrategies = ReturnType<typeof createOidcStrategies>;
