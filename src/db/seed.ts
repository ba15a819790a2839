import type { Role } from '../shared/actor.ts';
import { hashPassword } from '../features/accounts/passwords.ts';
import { User } from '../features/accounts/user.model.ts';

export const DEMO_PASSWORD = 'Tulip-Harbor-Lantern-42';

type DemoUser = { email: string; name: string; roles: Role[]; does: string; profile: Record<string, unknown> };

/** The accounts a newcomer signs in with; `does` is what the sign-in page says each one finds. */
export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@demo.cocreate.local', name: 'Ada Admin', roles: ['member', 'staff', 'admin'], does: 'runs the site; a lenient judge', profile: { organisation: 'Cocreate' } },
  { email: 'staff@demo.cocreate.local', name: 'Sam Staff', roles: ['member', 'staff'], does: 'judges (scorecards to fill), owns the backlogs', profile: { organisation: 'Cocreate' } },
  {
    email: 'copilot@demo.cocreate.local',
    name: 'Cleo Copilot',
    roles: ['member'],
    does: 'curates: a screening queue, reports, a shortlist',
    profile: { organisation: 'Cocreate community team', segment: 'Agencies', region: 'Europe', customerTier: 'standard' },
  },
  {
    email: 'specialist@demo.cocreate.local',
    name: 'Priya Specialist',
    roles: ['member', 'specialist'],
    does: 'a specialist with ideas in every challenge',
    profile: { organisation: 'Studio North', segment: 'Agencies', region: 'Europe', customerTier: 'premium', skills: ['UX research', 'Prototyping'] },
  },
  {
    email: 'member@demo.cocreate.local',
    name: 'Max Member',
    roles: ['member'],
    does: 'a customer with ideas, replies and news',
    profile: { organisation: 'Acme Retail', segment: 'Retail', region: 'North America', customerTier: 'standard' },
  },
];

export const SEGMENTS = ['Retail', 'Healthcare', 'Finance', 'Education', 'Agencies', 'Public sector'];
const REGIONS = ['Europe', 'North America', 'Asia Pacific'];
const TIERS = ['free', 'standard', 'premium'];

// Six people per segment, so every breakdown (segment, region, tier) has groups of five or more.
const CROWD_NAMES = [
  'Lena Fischer',
  'Omar Haddad',
  'Grace Okafor',
  'Tomás Rivera',
  'Mei Lin',
  'Noah Bennett',
  'Sofia Marino',
  'Arjun Mehta',
  'Hannah Schulz',
  'Kwame Mensah',
  'Isabel Duarte',
  'Lucas Moreau',
  'Yuki Tanaka',
  'Emma Lindqvist',
  'Daniel Cohen',
  'Fatima Zahra',
  'Liam O’Connor',
  'Ana Petrović',
  'Chloé Dubois',
  'Mateo García',
  'Nadia Rahman',
  'Jonas Weber',
  'Aisha Bello',
  'Ravi Iyer',
  'Olivia Brown',
  'Felix Novak',
  'Zara Ahmed',
  'Ethan Walker',
  'Ingrid Solberg',
  'Pedro Alves',
  'Leila Karimi',
  'Samuel Adeyemi',
  'Clara Jensen',
  'Hugo Laurent',
  'Maya Patel',
  'Victor Horvat',
];
const ORGANISATIONS: Record<string, string[]> = {
  Retail: ['Corner Grocers', 'Urban Outfit Co', 'Hometown Hardware'],
  Healthcare: ['Riverside Clinic', 'CarePoint Labs', 'Northfield Pharmacy'],
  Finance: ['Harbor Credit Union', 'Ledgerline', 'Summit Insurance'],
  Education: ['Westbrook College', 'BrightPath Tutors', 'City Library Network'],
  Agencies: ['Pixel & Pine', 'Loud Owl Media', 'Framework Studio'],
  'Public sector': ['Port Authority', 'Greenvale Council', 'State Transit Office'],
};
const SPECIALIST_SKILLS = [['Service design', 'Workshops'], ['Data analysis', 'SQL'], ['Illustration'], ['Copywriting', 'Content strategy'], ['Accessibility audits']];

const emailOf = (name: string) =>
  `${name
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase()
    .replace(/ /g, '.')}@demo.cocreate.local`;

/** The crowd of the demo (first.last@demo.cocreate.local); five of them are specialists (the "kind" breakdown needs five). */
export const CROWD: DemoUser[] = CROWD_NAMES.map((name, n) => {
  const segment = SEGMENTS[n % SEGMENTS.length]!;
  const specialist = n % 7 === 3;
  return {
    email: emailOf(name),
    name,
    roles: specialist ? ['member', 'specialist'] : ['member'],
    does: '',
    profile: {
      organisation: ORGANISATIONS[segment]![n % 3],
      segment,
      region: REGIONS[n % REGIONS.length],
      customerTier: TIERS[Math.floor(n / 3) % TIERS.length],
      skills: specialist ? SPECIALIST_SKILLS[Math.floor(n / 7) % SPECIALIST_SKILLS.length] : [],
    },
  };
});

/** A third judge who is not a demo account: judging needs more than two people. */
export const EXTRA_STAFF: DemoUser = { email: 'jordan@demo.cocreate.local', name: 'Jordan Reyes', roles: ['member', 'staff'], does: '', profile: { organisation: 'Cocreate' } };

export type SeededUser = { email: string; name: string; roles: Role[]; does: string; created: boolean };

/**
 * Creates the demo accounts and the demo crowd that do not exist yet; safe to run any number of
 * times. People are written directly (not signed up): they need no confirmation email.
 */
export async function seedDemoData(options: { passwordHashCost: number }): Promise<SeededUser[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD, options.passwordHashCost);
  const results: SeededUser[] = [];
  for (const person of [...DEMO_USERS, EXTRA_STAFF, ...CROWD]) {
    const { does, ...fields } = person;
    const result = await User.updateOne({ email: person.email }, { $setOnInsert: { ...fields, passwordHash, emailVerifiedAt: new Date() } }, { upsert: true });
    if (DEMO_USERS.includes(person)) results.push({ email: person.email, name: person.name, roles: person.roles, does, created: result.upsertedCount === 1 });
  }
  return results;
}

export async function databaseIsEmpty(): Promise<boolean> {
  return (await User.estimatedDocumentCount()) === 0;
}

export function describeDemoUsers(users: SeededUser[]): string {
  const lines = users.map((user) => `  ${user.email.padEnd(34)} ${user.roles.join(', ').padEnd(26)} ${user.does}`);
  return `Demo accounts (password for all: ${DEMO_PASSWORD}):\n${lines.join('\n')}`;
}
