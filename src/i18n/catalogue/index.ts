/*
 * The catalogue, merged from one file per area. Each area holds `{ en, de }` under the key it is
 * registered with below, so a message is `area.key` (`layout.nav.home`).
 *
 * German glossary (keep to it; Sie-form throughout):
 *   challenge → die Challenge (loanword), idea → die Idee, copilot → der Copilot / die Copilots,
 *   judge → Juror:in (pl. Jury for the group), scorecard → Bewertungsbogen, shortlist → Shortlist,
 *   backlog → Backlog, vote → Stimme (to vote: abstimmen), comment → Kommentar,
 *   follow → folgen, notification → Benachrichtigung, digest → Zusammenfassung,
 *   screening → Prüfung, appeal → Einspruch, winner → Gewinner, sign in → anmelden,
 *   sign up/create account → registrieren / Konto anlegen, sign out → abmelden,
 *   account → Konto, member → Mitglied, staff → Team, phase → Phase.
 */
import type { Shape } from './area.ts';
import { accountLinks } from './account-links.ts';
import { accounts } from './accounts.ts';
import { admin } from './admin.ts';
import { backlogs } from './backlogs.ts';
import { challenge } from './challenge.ts';
import { challengeForm } from './challengeForm.ts';
import { challenges } from './challenges.ts';
import { common } from './common.ts';
import { community } from './community.ts';
import { curation } from './curation.ts';
import { dashboard } from './dashboard.ts';
import { email } from './email.ts';
import { errors } from './errors.ts';
import { exportHeaders } from './exports.ts';
import { home } from './home.ts';
import { homeStaff } from './homeStaff.ts';
import { idea } from './idea.ts';
import { ideaChecks } from './idea-checks.ts';
import { ideaHistory } from './idea-history.ts';
import { ideaPages } from './idea-pages.ts';
import { ideas } from './ideas.ts';
import { inbox } from './inbox.ts';
import { insights } from './insights.ts';
import { judging } from './judging.ts';
import { layout } from './layout.ts';
import { live } from './live.ts';
import { notifications } from './notifications.ts';
import { preferences } from './preferences.ts';
import { privacy } from './privacy.ts';
import { search } from './search.ts';

const areas = {
  accountLinks,
  accounts,
  admin,
  backlogs,
  challenge,
  challengeForm,
  challenges,
  common,
  community,
  curation,
  dashboard,
  email,
  errors,
  exports: exportHeaders,
  home,
  homeStaff,
  idea,
  ideaChecks,
  ideaHistory,
  ideaPages,
  ideas,
  inbox,
  insights,
  judging,
  layout,
  live,
  notifications,
  preferences,
  privacy,
  search,
};

type Areas = typeof areas;
type English = { [A in keyof Areas]: Areas[A]['en'] };

const pick = <L extends 'en' | 'de'>(locale: L) => Object.fromEntries(Object.entries(areas).map(([name, area]) => [name, area[locale]]));

export const en = pick('en') as English;
export const de = pick('de') as Shape<English>;
export type Catalogue = English;
