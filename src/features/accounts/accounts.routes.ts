import { Router, type Request, type Response } from 'express';
import type { createPassport } from './passport.ts';
import type { Actor } from '../../shared/actor.ts';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn, safeReturnTo } from '../../web/auth.ts';
import { formView } from '../../web/error-handler.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { viewAsSignedOut } from '../../web/locals.ts';
import type { authRateLimits } from '../../web/rate-limits.ts';
import { parseInput } from '../../web/validate.ts';
import { changeEmailInput, changePasswordInput, forgotPasswordInput, profileUpdateInput, resetPasswordInput, signInInput, signUpInput, TIME_ZONES } from './accounts.schemas.ts';
import { mayUsePassword } from './accounts.policy.ts';
import { SignInRefused, type Accounts } from './accounts.service.ts';
import { CUSTOMER_TIERS } from './user.model.ts';
import { isMessage, LOCALES, message, type Locale } from '../../i18n/i18n.ts';
import { sendStoredFile, uploadedFiles, uploadMiddleware, type UploadRoute } from '../../uploads/index.ts';
import { AVATAR_FIELD, AVATAR_MAX_BYTES } from './avatar.ts';

/** The profile photo form: parsed ahead of the CSRF check (see `mountUploads`). */
export const accountUploads: UploadRoute = {
  paths: ['/account/photo'],
  parse: uploadMiddleware({ field: AVATAR_FIELD, maxFiles: 1, maxFileBytes: AVATAR_MAX_BYTES }),
};

type Passport = ReturnType<typeof createPassport>;
/** Development only: accounts the sign-in page offers with one click (their password is public). */
export type DemoAccounts = { password: string; accounts: Array<{ email: string; name: string; roles: string; does: string }> };
/** What single sign-on changes on these pages: the providers offered, whether passwords still work, the provider's sign-out. */
export type SignInOptions = {
  providers: () => Array<{ id: string; displayName: string }>;
  passwordSignIn: () => Promise<boolean>;
  endSessionUrl: (provider: string, idToken: string | undefined) => Promise<string | undefined>;
};
type Deps = { accounts: Accounts; passport: Passport; limits: ReturnType<typeof authRateLimits>; demo?: DemoAccounts; signInOptions: SignInOptions };

const PASSWORDS_OFF = message('accounts.problems.passwordsOff');

function signIn(passport: Passport, req: Request, passwordSignIn: boolean): Promise<Actor> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', { session: false }, (error: unknown, actor: Actor | false) => {
      if (error instanceof SignInRefused) return reject(new Invalid({}, isMessage(error.text) ? error.text : message(`accounts.problems.${error.reason}`)));
      if (error) return reject(error);
      if (!actor) return reject(new Invalid({}, message('accounts.problems.enterEmailAndPassword')));
      if (!mayUsePassword(actor, passwordSignIn)) return reject(new Invalid({}, PASSWORDS_OFF));
      // Passport regenerates the session on log-in, so a session id fixed before it is useless.
      req.logIn(actor, (loginError) => (loginError ? reject(loginError) : resolve(actor)));
    })(req);
  });
}

export function accountsRoutes({ accounts, passport, limits, demo, signInOptions }: Deps): Router {
  const router = Router();
  router.use(['/sign-in', '/sign-up'], async (_req, res, next) => {
    res.locals.ssoProviders = signInOptions.providers();
    res.locals.passwordSignIn = await signInOptions.passwordSignIn();
    next();
  });
  // Each demo account is a small form posting its email and password to the ordinary sign-in:
  // one click, with the same CSRF check, rate limit and session handling as typing them.
  if (demo) {
    router.use('/sign-in', (_req, res, next) => {
      res.locals.demo = demo;
      next();
    });
  }
  const tiers = CUSTOMER_TIERS;

  // `?email=`: the address an invitation was sent to, filled in for its reader.
  router.get('/sign-up', (req, res) => {
    const email = typeof req.query.email === 'string' ? req.query.email.slice(0, 254) : '';
    res.render('accounts/sign-up', { title: message('accounts.signUp.title'), values: { email }, errors: {}, tiers });
  });
  router.post('/sign-up', ...limits.signUp, formView('accounts/sign-up', message('accounts.signUp.title')), async (req, res) => {
    res.locals.tiers = tiers;
    // Accounts come from the identity provider once passwords are off.
    if (!res.locals.passwordSignIn) throw new Invalid({}, PASSWORDS_OFF);
    await accounts.registerUser(parseInput(signUpInput, req.body), res.locals.locale as Locale);
    res.redirect(303, '/check-your-email');
  });
  router.get('/check-your-email', (_req, res) => res.render('accounts/check-your-email', { title: message('accounts.confirm.title') }));

  router.get('/verify-email', async (req, res) => {
    try {
      await accounts.verifyEmail(String(req.query.token ?? ''));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400).render('accounts/link-problem', { title: message('accountLinks.problem.title'), message: error.text });
      return;
    }
    res.render('accounts/email-verified', { title: message('accounts.confirm.doneTitle') });
  });

  router.get('/sign-in', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('accounts/sign-in', { title: message('accounts.signIn.title'), values: { returnTo: safeReturnTo(req.query.returnTo) }, errors: {} });
  });
  router.post('/sign-in', ...limits.signIn, formView('accounts/sign-in', message('accounts.signIn.title')), async (req, res) => {
    parseInput(signInInput, req.body);
    const actor = await signIn(passport, req, Boolean(res.locals.passwordSignIn));
    await redirectWithNotice(req, res, safeReturnTo((req.body as { returnTo?: unknown }).returnTo), 'success', message('accounts.signIn.welcome', { name: actor.name }));
  });

  router.post('/sign-out', async (req, res) => {
    // Read before logging out: the session is replaced then.
    const sso = req.session.sso;
    await new Promise<void>((resolve, reject) => req.logOut((error) => (error ? reject(error) : resolve())));
    const providerSignOut = sso ? await signInOptions.endSessionUrl(sso.provider, sso.idToken) : undefined;
    if (!providerSignOut) return res.redirect(303, '/');
    const provider = signInOptions.providers().find((entry) => entry.id === sso?.provider);
    viewAsSignedOut(res);
    res.render('accounts/signed-out', { title: message('accountLinks.signedOut.title'), providerSignOut, providerName: provider?.displayName ?? message('accountLinks.signedOut.yourOrganisation') });
  });

  router.get('/forgot-password', (_req, res) => res.render('accounts/forgot-password', { title: message('accounts.reset.title'), values: {}, errors: {} }));
  router.post('/forgot-password', ...limits.reset, formView('accounts/forgot-password', message('accounts.reset.title')), async (req, res) => {
    const { email } = parseInput(forgotPasswordInput, req.body);
    await accounts.requestPasswordReset(email);
    res.redirect(303, '/forgot-password/sent');
  });
  router.get('/forgot-password/sent', (_req, res) => res.render('accounts/reset-sent', { title: message('accounts.reset.sentTitle') }));

  router.get('/reset-password', (req, res) => res.render('accounts/reset-password', { title: message('accounts.reset.chooseTitle'), values: { token: String(req.query.token ?? '') }, errors: {} }));
  router.post('/reset-password', formView('accounts/reset-password', message('accounts.reset.chooseTitle')), async (req, res) => {
    res.locals.values = { token: String((req.body as { token?: unknown }).token ?? '') };
    const { token, password } = parseInput(resetPasswordInput, req.body);
    await accounts.resetPassword(token, password);
    await redirectWithNotice(req, res, '/sign-in', 'success', message('accounts.reset.done'));
  });

  async function renderAccount(req: Request, res: Response, errors: Record<string, string> = {}) {
    const { name, email, timezone, locale, profile, avatarFileId } = await accounts.getProfile(actorOf(req));
    res.render('accounts/account', {
      title: message('accounts.account.title'),
      values: { name, timezone, locale, ...profile, skills: profile.skills?.join(', ') ?? '' },
      locales: LOCALES,
      email,
      avatarFileId,
      errors,
      errorSummary: Object.keys(errors).length > 0 ? message('accounts.photo.notSaved') : undefined,
      tiers,
      timeZones: TIME_ZONES,
    });
  }

  router.get('/account', requireSignIn, (req, res) => renderAccount(req, res));
  router.post('/account/photo', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    try {
      if ((req.body as { remove?: unknown }).remove === 'on') await accounts.avatars.remove(actor);
      else await accounts.avatars.set(actor, uploadedFiles(req)[0]);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderAccount(req, res, error.fields);
    }
    const removed = (req.body as { remove?: unknown }).remove === 'on';
    await redirectWithNotice(req, res, '/account', 'success', message(removed ? 'accounts.photo.removed' : 'accounts.photo.saved'));
  });
  // A photo is shown beside its owner's name to people signed in; its address changes with each upload.
  router.get('/avatars/:fileId', requireSignIn, async (req, res) => {
    await sendStoredFile(res, await accounts.avatars.open(String(req.params.fileId)), { inlineImages: true, maxAgeSeconds: 86_400 });
  });
  router.post('/account/profile', requireSignIn, formView('accounts/account', message('accounts.account.title')), async (req, res) => {
    Object.assign(res.locals, { tiers, timeZones: TIME_ZONES, email: actorOf(req).email, locales: LOCALES });
    await accounts.updateProfile(actorOf(req), parseInput(profileUpdateInput, req.body));
    await redirectWithNotice(req, res, '/account', 'success', message('accounts.account.saved'));
  });
  router.post('/account/password', requireSignIn, formView('accounts/change-password', message('accounts.password.title')), async (req, res) => {
    const { currentPassword, password } = parseInput(changePasswordInput, req.body);
    await accounts.changePassword(actorOf(req), currentPassword, password, req.sessionID);
    await redirectWithNotice(req, res, '/account', 'success', message('accounts.password.changed'));
  });
  router.get('/account/password', requireSignIn, (_req, res) => res.render('accounts/change-password', { title: message('accounts.password.title'), values: {}, errors: {} }));
  router.get('/account/email', requireSignIn, (_req, res) => res.render('accounts/change-email', { title: message('accounts.changeEmail.title'), values: {}, errors: {} }));
  router.post('/account/email', requireSignIn, formView('accounts/change-email', message('accounts.changeEmail.title')), async (req, res) => {
    const { currentPassword, email } = parseInput(changeEmailInput, req.body);
    await accounts.requestEmailChange(actorOf(req), currentPassword, email);
    await redirectWithNotice(req, res, '/account', 'info', message('accounts.changeEmail.sent', { email }));
  });

  return router;
}
