import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Actor } from '../../shared/actor.ts';
import type { Accounts } from './accounts.service.ts';
import type { UserCache } from './user-cache.ts';

declare global {
  // Express's own declaration merging needs the namespace form.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // The signed-in person, as services and policies see them.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}

/** One Passport instance per app, so several apps (tests) never share strategies. */
export function createPassport(accounts: Accounts, users: UserCache) {
  const passport = new passportModule.Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      accounts.authenticate(email, password).then(
        (actor) => done(null, actor),
        (error: unknown) => done(error),
      );
    }),
  );
  passport.serializeUser<string>((actor, done) => done(null, (actor as Actor).id));
  passport.deserializeUser<string>((id, done) => {
    // A suspended or deleted user's session resolves to nobody: they are signed out.
    users.activeActor(id).then(
      (actor) => done(null, actor ?? false),
      (error: unknown) => done(error),
    );
  });
  return passport;
}
