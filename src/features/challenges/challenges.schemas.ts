import { DateTime } from 'luxon';
import { z } from 'zod';
import { emailListField } from '../../shared/email-list.ts';
import { AUDIENCES, BACKLOGS, CROWD_SEES, FIELD_TYPES, SUBMISSION_VISIBILITIES, type FieldType } from './challenge.model.ts';
import { SCHEDULED_PHASES, type ScheduledPhase } from './phases.ts';

/**
 * The challenge form works without JavaScript, so list-like settings are written one per line
 * in textareas ("First prize: €5,000"). Each parser reports the line that is wrong.
 */
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

/** `unit` names a line in messages: "Line 2" in a textarea, "Row 2" in a row editor (form-rows.ts). */
function linesOf<T>(max: number, label: string, parseLine: (line: string, index: number) => T | string, unit = 'Line') {
  return z
    .string()
    .default('')
    .transform((text, context) => {
      const parsed: T[] = [];
      const all = lines(text);
      if (all.length > max) {
        context.addIssue({ code: 'custom', message: `Give at most ${max} ${label}.` });
        return z.NEVER;
      }
      for (const [index, line] of all.entries()) {
        const result = parseLine(line, index);
        if (typeof result === 'string') {
          context.addIssue({ code: 'custom', message: `${unit} ${index + 1}: ${result}` });
          return z.NEVER;
        }
        parsed.push(result);
      }
      return parsed;
    });
}

const emailList = (max: number) => emailListField(max);

const slug = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40) || 'field';

export const prizeLines = linesOf(10, 'prize tiers', (line) => {
  const [tier, ...rest] = line.split(':');
  const text = rest.join(':').trim();
  if (!tier?.trim() || !text) return 'write a tier and its prize, like “First prize: €5,000”.';
  return { tier: tier.trim().slice(0, 60), text: text.slice(0, 300) };
});

export const fieldLines = linesOf(
  20,
  'fields',
  (line) => {
    const [label = '', type = '', required = '', choices = ''] = line.split('|').map((part) => part.trim());
    if (!label) return 'start with the field’s label, like “Budget | number | required”.';
    if (!(FIELD_TYPES as readonly string[]).includes(type)) return `the type must be one of ${FIELD_TYPES.join(', ')}.`;
    if (required && required !== 'required' && required !== 'optional') return 'the third part must be “required” or “optional”.';
    const options = choices
      .split(',')
      .map((choice) => choice.trim())
      .filter(Boolean);
    if (type === 'choice' && options.length < 2) return 'a choice field needs at least two choices, separated by commas.';
    return { key: slug(label), label: label.slice(0, 80), type: type as FieldType, required: required === 'required', choices: options.slice(0, 30) };
  },
  'Row',
);

export const criterionLines = linesOf(
  15,
  'criteria',
  (line) => {
    const [name = '', weight = '', scale = '', guidance = ''] = line.split('|').map((part) => part.trim());
    const [scaleMin, scaleMax] = scale.split('-').map((value) => Number(value.trim()));
    if (!name) return 'start with the criterion’s name, like “Impact | 2 | 1-5 | How many customers benefit”.';
    const numericWeight = Number(weight);
    if (!Number.isFinite(numericWeight) || numericWeight <= 0) return 'the weight must be a positive number.';
    if (!Number.isInteger(scaleMin) || !Number.isInteger(scaleMax) || scaleMin! >= scaleMax! || scaleMax! - scaleMin! > 100) {
      return 'the scale must be two whole numbers like 1-5 or 0-10.';
    }
    return { name: name.slice(0, 80), weight: numericWeight, scaleMin: scaleMin!, scaleMax: scaleMax!, guidance: guidance.slice(0, 500) };
  },
  'Row',
);

const localDateTime = z
  .string()
  .default('')
  .refine((value) => value === '' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value), 'Use the date picker, or write 2026-12-01T09:00.');

export const challengeInput = z
  .object({
    title: z.string().trim().min(1, 'Give the challenge a title.').max(120, 'Titles are at most 120 characters.'),
    summary: z.string().trim().max(280, 'The summary is at most 280 characters.').default(''),
    brief: z.string().max(20_000, 'The brief is at most 20,000 characters.').default(''),
    audience: z.enum(AUDIENCES, { message: 'Choose who can see the challenge.' }),
    invitedEmails: emailList(500),
    submissionVisibility: z.enum(SUBMISSION_VISIBILITIES, { message: 'Choose who sees submissions.' }),
    prizes: prizeLines,
    terms: z.string().max(10_000, 'Terms are at most 10,000 characters.').default(''),
    fields: fieldLines,
    criteria: criterionLines,
    targetBacklog: z.enum(BACKLOGS, { message: 'Choose a backlog.' }),
    copilots: emailList(20),
    judges: emailList(30),
    appealsEnabled: z
      .string()
      .optional()
      .transform((value) => value === 'on' || value === 'true'),
    removeCover: z
      .string()
      .optional()
      .transform((value) => value === 'on'),
    voteBudget: z.coerce
      .number({ message: 'The vote budget must be a whole number.' })
      .int('The vote budget must be a whole number.')
      .min(0, 'The vote budget cannot be negative.')
      .max(100, 'Give at most 100 votes per member.')
      .default(0),
    crowdSees: z.enum(CROWD_SEES, { message: 'Choose when the crowd sees new ideas.' }).default('approved'),
    reportThreshold: z.coerce
      .number({ message: 'The report threshold must be a whole number.' })
      .int('The report threshold must be a whole number.')
      .min(1, 'Hide after at least 1 report.')
      .max(50, 'Hide after at most 50 reports.')
      .default(3),
    timezone: z.string().refine((zone) => timeZones.has(zone), 'Choose a time zone from the list.'),
    ...Object.fromEntries(SCHEDULED_PHASES.map((phase) => [`start_${phase}`, localDateTime])),
  })
  .transform((input, context) => {
    const schedule: Partial<Record<ScheduledPhase, Date | null>> = {};
    const record = input as unknown as Record<string, string>;
    for (const phase of SCHEDULED_PHASES) {
      const local = record[`start_${phase}`] ?? '';
      if (!local) {
        schedule[phase] = null;
        continue;
      }
      const at = DateTime.fromISO(local, { zone: input.timezone });
      if (!at.isValid) {
        context.addIssue({ code: 'custom', path: [`start_${phase}`], message: 'That date does not exist in this time zone.' });
        return z.NEVER;
      }
      schedule[phase] = at.toJSDate();
    }
    const {
      title,
      summary,
      brief,
      audience,
      invitedEmails,
      submissionVisibility,
      prizes,
      terms,
      fields,
      criteria,
      targetBacklog,
      copilots,
      judges,
      appealsEnabled,
      removeCover,
      voteBudget,
      crowdSees,
      reportThreshold,
      timezone,
    } = input;
    return {
      title,
      summary,
      brief,
      audience,
      invitedEmails,
      submissionVisibility,
      prizes,
      terms,
      fields,
      criteria,
      targetBacklog,
      copilots,
      judges,
      appealsEnabled,
      removeCover,
      voteBudget,
      crowdSees,
      reportThreshold,
      timezone,
      schedule,
    };
  });

export type ChallengeInput = z.output<typeof challengeInput>;

export const phaseMoveInput = z.object({
  to: z.enum(SCHEDULED_PHASES, { message: 'Choose a phase.' }),
  reason: z.string().trim().min(1, 'Say why the phase moves: followers are told.').max(500, 'Reasons are at most 500 characters.'),
});

export const challengeListQuery = z.object({
  phase: z
    .enum(['', ...SCHEDULED_PHASES, 'draft'])
    .default('')
    .catch(''),
  audience: z
    .enum(['', ...AUDIENCES])
    .default('')
    .catch(''),
  mine: z.enum(['', 'on']).default('').catch(''),
});

/** The stored challenge written back as the form's text, for the edit page. */
export function toFormValues(challenge: {
  title: string;
  summary: string;
  brief: string;
  audience: string;
  invitedEmails: string[];
  submissionVisibility: string;
  prizes: Array<{ tier: string; text: string }>;
  terms: string;
  fields: Array<{ label: string; type: string; required: boolean; choices: string[] }>;
  criteria: Array<{ name: string; weight: number; scaleMin: number; scaleMax: number; guidance: string }>;
  targetBacklog: string;
  copilotEmails: string[];
  judgeEmails: string[];
  appealsEnabled: boolean;
  voteBudget: number;
  crowdSees: string;
  reportThreshold: number;
  timezone: string;
  schedule: Partial<Record<ScheduledPhase, Date | null>>;
}): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {
    title: challenge.title,
    summary: challenge.summary,
    brief: challenge.brief,
    audience: challenge.audience,
    invitedEmails: challenge.invitedEmails.join('\n'),
    submissionVisibility: challenge.submissionVisibility,
    prizes: challenge.prizes.map((prize) => `${prize.tier}: ${prize.text}`).join('\n'),
    terms: challenge.terms,
    fields: challenge.fields.map((field) => [field.label, field.type, field.required ? 'required' : 'optional', field.choices.join(', ')].filter(Boolean).join(' | ')).join('\n'),
    criteria: challenge.criteria.map((c) => [c.name, c.weight, `${c.scaleMin}-${c.scaleMax}`, c.guidance].filter((part) => part !== '').join(' | ')).join('\n'),
    targetBacklog: challenge.targetBacklog,
    copilots: challenge.copilotEmails.join('\n'),
    judges: challenge.judgeEmails.join('\n'),
    appealsEnabled: challenge.appealsEnabled,
    voteBudget: String(challenge.voteBudget),
    crowdSees: challenge.crowdSees,
    reportThreshold: String(challenge.reportThreshold),
    timezone: challenge.timezone,
  };
  for (const phase of SCHEDULED_PHASES) {
    const at = challenge.schedule[phase];
    values[`start_${phase}`] = at ? DateTime.fromJSDate(at, { zone: challenge.timezone }).toFormat("yyyy-MM-dd'T'HH:mm") : '';
  }
  return values;
}
