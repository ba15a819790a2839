import { message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canManageSignIn } from './accounts.policy.ts';
import { SignInSettings } from './site-settings.model.ts';

const ID = 'sign-in';
/** Another process's change reaches this one within this long. */
const TTL_MS = 5_000;

/** Whether people may sign in with a password (an admin turns it off once single sign-on is in place). */
export function createSignInSettings(deps: { ssoConfigured: boolean }) {
  let cached: { passwordSignIn: boolean; expiresAt: number } | undefined;

  async function passwordSignIn(): Promise<boolean> {
    if (!deps.ssoConfigured) return true;
    if (cached && cached.expiresAt > Date.now()) return cached.passwordSignIn;
    const stored = await SignInSettings.findById(ID).lean();
    cached = { passwordSignIn: stored?.passwordSignIn ?? true, expiresAt: Date.now() + TTL_MS };
    return cached.passwordSignIn;
  }

  return {
    /** Without a configured provider, passwords are the only way in, so they stay on. */
    passwordSignIn,

    async setPasswordSignIn(actor: Actor, allowed: boolean): Promise<void> {
      if (!canManageSignIn(actor)) throw new Forbidden();
      if (!allowed && !deps.ssoConfigured) throw new Invalid({ passwordSignIn: message('admin.signIn.needsSso') });
      const before = await passwordSignIn();
      await SignInSettings.updateOne({ _id: ID }, { $set: { passwordSignIn: allowed } }, { upsert: true });
      cached = undefined;
      if (before !== allowed)
        await recordAudit(actor, { action: 'settings.password_sign_in', targetType: 'settings', targetId: ID, before: { passwordSignIn: before }, after: { passwordSignIn: allowed } });
    },
  };
}

export type SignInSettingsService = ReturnType<typeof createSignInSettings>;
