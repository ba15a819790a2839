import type { StallPoint } from './shared/events.ts';
import path from 'node:path';
import { z } from 'zod';
import { LOCALES, type Locale } from './i18n/i18n.ts';
import { parseOidcProviders, type OidcProviderConfig } from './sso-config.ts';
import type { EmbeddedSync } from './db/embedded-ferretdb.ts';

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => ['true', '1', 'yes'].includes(value));

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://ideas.example.com' }).optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().default('data'),
  EMBEDDED_DB_SYNC: z.enum(['normal', 'full']).default('normal'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().default('Cocreate <no-reply@cocreate.local>'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  SITE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
    .optional(),
  TRUST_PROXY: z.string().default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_ON_FIRST_START: booleanFlag.default(true),
  PASSWORD_HASH_COST: z.coerce.number().int().min(1024).max(1_048_576).default(32_768),
  DEFAULT_LOCALE: z.enum(LOCALES).default('en'),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  NOTIFICATION_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  OUTBOX_START_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(0),
  /** Tests only: a process hangs at this point of every write with durable events, so the test can kill it there. */
  OUTBOX_STALL: z.enum(['recorded', 'written']).optional(),
  OUTBOX_INTENT_GRACE_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .refine(
      (value) => value.split(',').every((entry) => entry.trim() === '' || /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(entry.trim())),
      'must be a comma-separated list of host or host:port',
    ),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  mongodbUri: string | undefined;
  dataDir: string;
  /** When the embedded engine waits for the disk: see `startEmbeddedDatabase`. */
  embeddedSync: EmbeddedSync;
  /** Unset outside production when SESSION_SECRET is: see `withSessionSecret`. */
  sessionSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  redisUrl: string | undefined;
  /** Prefix of this site's keys and channels on a shared Redis; unset: derived from the database (see siteKeyOf). */
  siteKey: string | undefined;
  trustProxy: boolean | number | string;
  logLevel: string;
  seedOnFirstStart: boolean;
  passwordHashCost: number;
  /** Webhook targets allowed even when they resolve to a private or loopback address (host or host:port, lower case). */
  webhookAllowedHosts: string[];
  /** How long a starting process waits before it may consume the outbox (notifications, webhooks, insights). */
  outboxStartDelayMs: number;
  /** Tests only (OUTBOX_STALL): where writes hang, to kill the process between an intent's record, its write and `done`. */
  outboxStall?: StallPoint;
  /** How long an intended write may take to show before its outbox entry is dropped as never written. */
  outboxIntentGraceMs: number;
  /** The site's language when a person has chosen none and their browser asks for none we have. */
  defaultLocale: Locale;
  /** Days to keep audit entries and notifications (0: for ever), applied by the retention scheduler. */
  retention: { auditDays: number; notificationDays: number };
  /** Single sign-on providers (OIDC_PROVIDERS); empty when only passwords are used. */
  oidcProviders: OidcProviderConfig[];
};

/** What the app runs with: the session secret is known. */
export type ServingConfig = Config & { sessionSecret: string };

export class ConfigError extends Error {}

/** Reads and validates the environment once; a wrong value stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const oidc = parseOidcProviders(env);
  if (oidc.problems.length) throw new ConfigError(`Invalid configuration:\n${oidc.problems.map((problem) => `  ${problem}`).join('\n')}`);
  if (values.NODE_ENV === 'production' && !values.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required in production (32+ random characters)');
  }
  if ((values.PASSWORD_HASH_COST & (values.PASSWORD_HASH_COST - 1)) !== 0) {
    throw new ConfigError('Invalid configuration:\n  PASSWORD_HASH_COST: must be a power of two');
  }
  return {
    env: values.NODE_ENV,
    port: values.PORT,
    // Outside production only this machine may reach the server unless HOST says otherwise: a
    // development server (demo accounts, the mail outbox) must not be open to a network by default.
    host: values.HOST ?? (values.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/$/, ''),
    mongodbUri: values.MONGODB_URI,
    dataDir: path.resolve(values.DATA_DIR),
    embeddedSync: values.EMBEDDED_DB_SYNC,
    sessionSecret: values.SESSION_SECRET,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    redisUrl: values.REDIS_URL,
    siteKey: values.SITE_KEY,
    trustProxy: parseTrustProxy(values.TRUST_PROXY),
    logLevel: values.LOG_LEVEL,
    seedOnFirstStart: values.SEED_ON_FIRST_START,
    passwordHashCost: values.PASSWORD_HASH_COST,
    webhookAllowedHosts: values.WEBHOOK_ALLOWED_HOSTS.split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
    outboxStartDelayMs: values.OUTBOX_START_DELAY_MS,
    outboxStall: values.OUTBOX_STALL,
    outboxIntentGraceMs: values.OUTBOX_INTENT_GRACE_MS,
    defaultLocale: values.DEFAULT_LOCALE,
    retention: { auditDays: values.AUDIT_RETENTION_DAYS, notificationDays: values.NOTIFICATION_RETENTION_DAYS },
    oidcProviders: oidc.providers,
  };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
