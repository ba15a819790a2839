import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../shared/actor.ts';
import { Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { formView } from '../../web/error-handler.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import type { authRateLimits } from '../../web/rate-limits.ts';
import { parseInput } from '../../web/validate.ts';
import { canManageSignIn } from './accounts.policy.ts';
import { SignInRefused } from './accounts.service.ts';
import type { OidcResult, OidcStrategies } from './oidc-strategies.ts';
import type { createPassport } from './passport.ts';
import type { SignInSettingsService } from './sign-in-settings.ts';
import type { PendingLink, Sso } from './sso.service.ts';
import { isMessage, message, type Text } from '../../i18n/i18n.ts';

declare module 'express-session' {
  interface SessionData {
    /** A provider sign-in waiting for proof that the existing account with its address is the person's. */
    pendingLink?: PendingLink;
    /** How this session signed in, to offer the provider's sign-out too. */
    sso?: { provider: string; idToken?: string };
  }
}

type Deps = { sso: Sso; strategies: OidcStrategies; passport: ReturnType<typeof createPassport>; settings: SignInSettingsService; limits: ReturnType<typeof authRateLimits>; logger: Logger };

const linkPasswordInput = z.object({ password: z.string().min(1, 'accountLinks.link.enterPassword').max(200) });
const settingsInput = z.object({ passwordSignIn: z.enum(['on']).optional() });

/** A refused sign-in in the reader's words: the provider's own reason, else the password sign-in's by its kind. */
const refusal = (error: SignInRefused) => (isMessage(error.text) ? error.text : message(`accounts.problems.${error.reason}`));

function logIn(req: Request, actor: Actor, sso: { provider: string; idToken?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    // Passport regenerates the session on log-in, so what the session must remember goes in after.
    req.logIn(actor, (error) => {
      if (error) return reject(error);
      req.session.sso = sso;
      resolve();
    });
  });
}

/** Single sign-on: the provider round trip, proving an existing account, and the admin's setting. */
export function ssoRoutes({ sso, strategies, passport, settings, limits, logger }: Deps): Router {
  const router = Router();

  const providerOf = (req: Request) => {
    const provider = strategies.provider(String(req.params.provider));
    if (!provider) throw new NotFound();
    return provider;
  };

  const refuse = (res: Response, text: Text) => res.status(400).render('accounts/sso-problem', { title: message('accountLinks.sso.title'), message: text });

  router.get('/auth/oidc/:provider', ...limits.signIn, async (req, res, next) => {
    const name = await strategies.strategyName(providerOf(req));
    passport.authenticate(name)(req, res, next);
  });

  router.get('/auth/oidc/:provider/callback', ...limits.signIn, async (req, res, next) => {
    const provider = providerOf(req);
    const name = await strategies.strategyName(provider);
    const result = await new Promise<OidcResult | { error: unknown }>((resolve) => {
      passport.authenticate(name, { session: false }, (error: unknown, user: unknown, info: unknown) => {
        if (error || !user) resolve({ error: error ?? info });
        else resolve(user as OidcResult);
      })(req, res, next);
    });
    if ('error' in result) {
      if (result.error instanceof SignInRefused) return refuse(res, refusal(result.error));
      // A forged, replayed or expired response: the person starts again; the details are for the log.
      logger.warn({ err: result.error }, `a ${provider.displayName} sign-in was refused`);
      return refuse(res, message('accountLinks.sso.failed', { provider: provider.displayName }));
    }
    const { outcome, idToken } = result;
    if (outcome.kind === 'link-needed') {
      req.session.pendingLink = outcome.pending;
      return redirectWithNotice(req, res, '/sign-in/link', 'info', message('accountLinks.link.exists', { email: outcome.pending.email }));
    }
    await logIn(req, outcome.actor, { provider: provider.id, idToken });
    await redirectWithNotice(req, res, '/', 'success', message('accountLinks.sso.welcome', { name: outcome.actor.name }));
  });

  const pendingOf = (req: Request) => {
    const pending = req.session.pendingLink;
    if (!pending) throw new Invalid({}, message('accountLinks.link.nothingPending'));
    return pending;
  };
  const linkPage = (req: Request) => {
    const pending = pendingOf(req);
    const provider = strategies.provider(pending.provider);
    return { title: message('accountLinks.link.title'), email: pending.email, providerName: provider?.displayName ?? pending.provider, values: {}, errors: {} };
  };

  router.get('/sign-in/link', (req, res) => {
    if (!req.session.pendingLink) return res.redirect('/sign-in');
    res.render('accounts/link-account', linkPage(req));
  });
  router.post('/sign-in/link/password', ...limits.signIn, formView('accounts/link-account', message('accountLinks.link.title')), async (req, res) => {
    Object.assign(res.locals, linkPage(req));
    const { password } = parseInput(linkPasswordInput, req.body);
    const pending = pendingOf(req);
    let actor: Actor;
    try {
      actor = await sso.linkWithPassword(pending, password);
    } catch (error) {
      if (error instanceof SignInRefused) throw new Invalid({ password: refusal(error) }, refusal(error));
      throw error;
    }
    await logIn(req, actor, { provider: pending.provider });
    await redirectWithNotice(req, res, '/', 'success', message('accountLinks.link.linked', { provider: String(res.locals.providerName), name: actor.name }));
  });
  router.post('/sign-in/link/email', ...limits.reset, async (req, res) => {
    const page = linkPage(req);
    await sso.emailLink(pendingOf(req));
    delete req.session.pendingLink;
    res.render('accounts/link-sent', { title: message('accountLinks.sent.title'), email: page.email, providerName: page.providerName });
  });
  router.get('/sign-in/link/confirm', async (req, res) => {
    try {
      const providerName = await sso.confirmEmailedLink(String(req.query.token ?? ''));
      res.render('accounts/link-confirmed', { title: message('accountLinks.confirmed.title'), providerName });
    } catch (error) {
      if (error instanceof Invalid) return refuse(res, error.text);
      throw error;
    }
  });

  router.get('/admin/sign-in', requireSignIn, async (req, res) => {
    if (!canManageSignIn(actorOf(req))) throw new Forbidden();
    res.render('admin/sign-in', { title: message('admin.signIn.title'), passwordSignIn: await settings.passwordSignIn(), providers: sso.providers(), errors: {} });
  });
  router.post('/admin/sign-in', requireSignIn, async (req, res) => {
    const { passwordSignIn } = parseInput(settingsInput, req.body);
    await settings.setPasswordSignIn(actorOf(req), passwordSignIn === 'on');
    await redirectWithNotice(req, res, '/admin/sign-in', 'success', message(passwordSignIn ? 'admin.signIn.on' : 'admin.signIn.off'));
  });

  return router;
}
