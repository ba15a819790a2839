import { z } from 'zod';
import { LOCALES } from '../../i18n/i18n.ts';
import { ROLES } from '../../shared/actor.ts';
import { passwordProblem } from './passwords.ts';
import { CUSTOMER_TIERS } from './user.model.ts';

const email = z
  .string({ message: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .max(254, 'Email addresses are at most 254 characters.')
  .pipe(z.email({ message: 'Enter a valid email address, like name@example.com.' }));

// Checked here so a weak password is reported with the other fields; the service checks again
// with the user's name and email as context.
const newPassword = z
  .string({ message: 'Choose a password.' })
  .min(1, 'Choose a password.')
  .superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be at most ${max} characters.`).default('');

export const profileInput = z.object({
  organisation: text(120, 'Organisation'),
  segment: text(60, 'Segment'),
  region: text(60, 'Region'),
  customerTier: z.enum(['', ...CUSTOMER_TIERS], { message: 'Choose a tier from the list.' }).default(''),
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
    name: z.string({ message: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(80, 'Names are at most 80 characters.'),
    email,
    password: newPassword,
  })
  .extend(profileInput.shape);

export const signInInput = z.object({
  email,
  password: z.string({ message: 'Enter your password.' }).min(1, 'Enter your password.').max(1000),
});

export const forgotPasswordInput = z.object({ email });

export const resetPasswordInput = z.object({
  token: z.string().min(1).max(200),
  password: newPassword,
});

export const changePasswordInput = z.object({
  currentPassword: z.string({ message: 'Enter your current password.' }).min(1, 'Enter your current password.').max(1000),
  password: newPassword,
});

export const changeEmailInput = z.object({
  currentPassword: z.string({ message: 'Enter your current password.' }).min(1, 'Enter your current password.').max(1000),
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
    .union([z.enum(ROLES), z.array(z.enum(ROLES))], { message: 'Choose roles from the list.' })
    .default([])
    .transform((roles) => (Array.isArray(roles) ? roles : [roles])),
});

export const suspendInput = z.object({
  reason: z.string().trim().min(1, 'Give a reason: the user is told it.').max(500, 'Reasons are at most 500 characters.'),
});

export type SignUpInput = z.infer<typeof signUpInput>;
export type ProfileInput = z.infer<typeof profileInput>;

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

export const profileUpdateInput = z
  .object({
    name: z.string({ message: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(80, 'Names are at most 80 characters.'),
    timezone: z.string().refine((zone) => timeZones.has(zone), 'Choose a time zone from the list.'),
    locale: z.enum(['', ...LOCALES]).default(''),
  })
  .extend(profileInput.shape);

export const TIME_ZONES = [...timeZones].sort();
