import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { rolesFromGroups } from '../../src/features/accounts/sso.service.ts';

describe('single sign-on configuration', () => {
  it('reads several providers with their role mapping', () => {
    const { oidcProviders } = loadConfig({
      OIDC_PROVIDERS: 'corp, partner',
      OIDC_CORP_ISSUER: 'https://login.example.com',
      OIDC_CORP_CLIENT_ID: 'cocreate',
      OIDC_CORP_CLIENT_SECRET: 'secret',
      OIDC_CORP_NAME: 'Example Login',
      OIDC_CORP_ROLES: 'staff=idea-team|innovation;admin=it-admins',
      OIDC_PARTNER_ISSUER: 'http://localhost:8080/realm',
      OIDC_PARTNER_CLIENT_ID: 'public-client',
    });
    assert.deepEqual(
      oidcProviders.map(({ id, displayName, clientSecret, scope, groupsClaim }) => ({ id, displayName, clientSecret, scope, groupsClaim })),
      [
        { id: 'corp', displayName: 'Example Login', clientSecret: 'secret', scope: 'openid email profile', groupsClaim: 'groups' },
        { id: 'partner', displayName: 'partner', clientSecret: undefined, scope: 'openid email profile', groupsClaim: 'groups' },
      ],
    );
    assert.deepEqual(oidcProviders[0]?.roleGroups, { staff: ['idea-team', 'innovation'], admin: ['it-admins'] });
  });

  it('refuses plain http to another machine, a missing client id and an unknown role', () => {
    assert.throws(
      () => loadConfig({ OIDC_PROVIDERS: 'corp', OIDC_CORP_ISSUER: 'http://login.example.com', OIDC_CORP_ROLES: 'owner=x' }),
      (error: Error) => /OIDC_CORP_ISSUER: must use https/.test(error.message) && /OIDC_CORP_CLIENT_ID: required/.test(error.message) && /"owner" is not a role/.test(error.message),
    );
  });

  it('maps groups to the roles the provider manages and leaves the other roles alone', () => {
    const provider = { roleGroups: { staff: ['idea-team'] } };
    assert.deepEqual(rolesFromGroups(provider, ['idea-team'], ['member']), ['member', 'staff']);
    assert.deepEqual(rolesFromGroups(provider, [], ['member', 'specialist', 'staff']), ['member', 'specialist']);
  });
});
