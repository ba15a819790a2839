import { message, type Message } from '../../i18n/i18n.ts';
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

/** What is wrong with one line, as a message (a parsed line is an object too, with its own keys). */
type Problem = { problem: Message };
const problem = (key: string, params?: Message['params']): Problem => ({ problem: message(key, params) });
const isProblem = (value: unknown): value is Problem => typeof value === 'object' && value !== null && 'problem' in value;

/** `unit` names a line in messages: "Line 2" in a textarea, "Row 2" in a row editor (form-rows.ts). */
function linesOf<T>(max: number, label: 'prizes' | 'fields' | 'criteria', parseLine: (line: string, index: number) => T | Problem, unit: 'line' | 'row' = 'line') {
  return z
    .string()
    .default('')
    .transform((text, context) => {
      const parsed: T[] = [];
      const all = lines(text);
      if (all.length > max) {
        context.addIssue({ code: 'custom', message: 'challengeForm.validation.tooManyLines', params: { max, what: message(`challengeForm.validation.what.${label}`) } });
        return z.NEVER;
      }
      for (const [index, line] of all.entries()) {
        const result = parseLine(line, index);
        if (isProblem(result)) {
          context.addIssue({ code: 'custom', message: `challengeForm.validation.${unit}`, params: { n: index + 1, problem: result.problem } });
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

export const prizeLines = linesOf(10, 'prizes', (line) => {
  const [tier, ...rest] = line.split(':');
  const text = rest.join(':').trim();
  if (!tier?.trim() || !text) return problem('challengeForm.validation.prizeLine');
  return { tier: tier.trim().slice(0, 60), text: text.slice(0, 300) };
});

export const fieldLines = linesOf(
  20,
  'fields',
  (line) => {
    const [label = '', type = '', required = '', choices = ''] = line.split('|').map((part) => part.trim());
    if (!label) return problem('challengeForm.validation.fieldLabel');
    if (!(FIELD_TYPES as readonly string[]).includes(type)) return problem('challengeForm.validation.fieldType', { types: FIELD_TYPES.join(', ') });
    if (required && required !== 'required' && required !== 'optional') return problem('challengeForm.validation.fieldRequired');
    const options = choices
      .split(',')
      .map((choice) => choice.trim())
      .filter(Boolean);
    if (type === 'choice' && options.length < 2) return problem('challengeForm.validation.fieldChoices');
    return { key: slug(label), label: label.slice(0, 80), type: type as FieldType, required: required === 'required', choices: options.slice(0, 30) };
  },
  'row',
);

export const criterionLines = linesOf(
  15,
  'criteria',
  (line) => {
    const [name = '', weight = '', scale = '', guidance = ''] = line.split('|').map((part) => part.trim());
    const [scaleMin, scaleMax] = scale.split('-').map((value) => Number(value.trim()));
    if (!name) return problem('challengeForm.validation.criterionName');
    const numericWeight = Number(weight);
    if (!Number.isFinite(numericWeight) || numericWeight <= 0) return problem('challengeForm.validation.criterionWeight');
    if (!Number.isInteger(scaleMin) || !Number.isInteger(scaleMax) || scaleMin! >= scaleMax! || scaleMax! - scaleMin! > 100) {
      return problem('challengeForm.validation.criterionScale');
    }
    return { name: name.slice(0, 80), weight: numericWeight, scaleMin: scaleMin!, scaleMax: scaleMax!, guidance: guidance.slice(0, 500) };
  },
  'row',
);

const localDateTime = z
  .string()
  .default('')
  .refine((value) => value === '' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value), 'challengeForm.validation.date');

export const challengeInput = z
  .object({
    title: z.string().trim().min(1, 'challengeForm.validation.title').max(120, 'challengeForm.validation.titleLong'),
    summary: z.string().trim().max(280, 'challengeForm.validation.summaryLong').default(''),
    brief: z.string().max(20_000, 'challengeForm.validation.briefLong').default(''),
    audience: z.enum(AUDIENCES, { message: 'challengeForm.validation.audience' }),
    invitedEmails: emailList(500),
    submissionVisibility: z.enum(SUBMISSION_VISIBILITIES, { message: 'challengeForm.validation.submissionVisibility' }),
    prizes: prizeLines,
    terms: z.string().max(10_000, 'challengeForm.validation.termsLong').default(''),
    fields: fieldLines,
    criteria: criterionLines,
    targetBacklog: z.enum(BACKLOGS, { message: 'challengeForm.validation.targetBacklog' }),
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
      .number({ message: 'challengeForm.validation.voteBudgetWhole' })
      .int('challengeForm.validation.voteBudgetWhole')
      .min(0, 'challengeForm.validation.voteBudgetNegative')
      .max(100, 'challengeForm.validation.voteBudgetMax')
      .default(0),
    crowdSees: z.enum(CROWD_SEES, { message: 'challengeForm.validation.crowdSees' }).default('approved'),
    reportThreshold: z.coerce
      .number({ message: 'challengeForm.validation.reportThresholdWhole' })
      .int('challengeForm.validation.reportThresholdWhole')
      .min(1, 'challengeForm.validation.reportThresholdMin')
      .max(50, 'challengeForm.validation.reportThresholdMax')
      .default(3),
    timezone: z.string().refine((zone) => timeZones.has(zone), 'challengeForm.validation.timezone'),
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
        context.addIssue({ code: 'custom', path: [`start_${phase}`], message: 'challengeForm.validation.noSuchDate' });
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
  to: z.enum(SCHEDULED_PHASES, { message: 'challengeForm.validation.phase' }),
  reason: z.string().trim().min(1, 'challengeForm.validation.reason').max(500, 'challengeForm.validation.reasonLong'),
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
