/** Messages are catalogue keys (src/i18n/catalogue/accounts.ts): the form shows them in the reader's language. */
import { z } from 'zod';
import { LOCALES } from '../../i18n/i18n.ts';
import { ROLES } from '../../shared/actor.ts';
import { passwordProblem } from './passwords.ts';
import { CUSTOMER_TIERS } from './user.model.ts';

const email = z
  .string({ message: 'accounts.problems.enterEmail' })
  .trim()
  .toLowerCase()
  .max(254, 'accounts.problems.emailTooLong')
  .pipe(z.email({ message: 'accounts.problems.validEmail' }));

// Checked here so a weak password is reported with the other fields; the service checks again
// with the user's name and email as context.
const newPassword = z
  .string({ message: 'accounts.problems.choosePassword' })
  .min(1, 'accounts.problems.choosePassword')
  .superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be at most ${max} characters.`).default('');

export const profileInput = z.object({
  organisation: text(120, 'Organisation'),
  segment: text(60, 'Segment'),
  region: text(60, 'Region'),
  customerTier: z.enum(['', ...CUSTOMER_TIERS], { message: 'accounts.problems.chooseTier' }).default(''),
  skills: text(500, 'Skills').transform((value) =>
    value
      .split(',')
      .map((skill) => skill.trim())
      .filter(Boolean)
      .slice(0, 20),
  ),
});

export const signUpInput = z
  .object({
    name: z.string({ message: 'accounts.problems.enterName' }).trim().min(1, 'accounts.problems.enterName').max(80, 'accounts.problems.nameTooLong'),
    email,
    password: newPassword,
  })
  .extend(profileInput.shape);

export const signInInput = z.object({
  email,
  password: z.string({ message: 'accounts.problems.enterPassword' }).min(1, 'accounts.problems.enterPassword').max(1000),
});

export const forgotPasswordInput = z.object({ email });

export const resetPasswordInput = z.object({
  // Missing from a truncated link: said as the link's problem, not as a string's length.
  token: z.string({ message: 'accountLinks.problem.invalid' }).min(1, 'accountLinks.problem.invalid').max(200, 'accountLinks.problem.invalid'),
  password: newPassword,
});

export const changePasswordInput = z.object({
  currentPassword: z.string({ message: 'accounts.problems.enterCurrentPassword' }).min(1, 'accounts.problems.enterCurrentPassword').max(1000),
  password: newPassword,
});

export const changeEmailInput = z.object({
  currentPassword: z.string({ message: 'accounts.problems.enterCurrentPassword' }).min(1, 'accounts.problems.enterCurrentPassword').max(1000),
  email,
});

export const userSearchInput = z.object({
  q: z.string().trim().max(100).default(''),
  after: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .catch(undefined),
});

export const changeRolesInput = z.object({
  roles: z
    .union([z.enum(ROLES), z.array(z.enum(ROLES))], { message: 'admin.user.chooseRoles' })
    .default([])
    .transform((roles) => (Array.isArray(roles) ? roles : [roles])),
});

export const suspendInput = z.object({
  reason: z.string().trim().min(1, 'admin.user.giveReason').max(500, 'admin.user.reasonTooLong'),
});

export type SignUpInput = z.infer<typeof signUpInput>;
export type ProfileInput = z.infer<typeof profileInput>;

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

export const profileUpdateInput = z
  .object({
    name: z.string({ message: 'accounts.problems.enterName' }).trim().min(1, 'accounts.problems.enterName').max(80, 'accounts.problems.nameTooLong'),
    timezone: z.string().refine((zone) => timeZones.has(zone), 'Choose a time zone from the list.'),
    locale: z.enum(['', ...LOCALES]).default(''),
  })
  .extend(profileInput.shape);

export const TIME_ZONES = [...timeZones].sort();
