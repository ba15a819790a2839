import mongoose from 'mongoose';
import { Challenge } from './challenge.model.ts';
import type { ChallengeAccess } from './challenges.policy.ts';
import type { Phase, Schedule } from './phases.ts';

export type ChallengeView = ChallengeAccess & {
  id: string;
  title: string;
  summary: string;
  brief: string;
  briefHtml: string;
  coverImageId: string | null;
  prizes: Array<{ tier: string; text: string }>;
  terms: string;
  fields: Array<{ key: string; label: string; type: 'text' | 'longtext' | 'choice' | 'number' | 'url' | 'file'; required: boolean; choices: string[] }>;
  criteria: Array<{ name: string; weight: number; scaleMin: number; scaleMax: number; guidance: string }>;
  targetBacklog: 'product' | 'marketing';
  appealsEnabled: boolean;
  voteBudget: number;
  reportThreshold: number;
  timezone: string;
  schedule: Schedule;
  phaseHistory: Array<{ from?: string | null; to: string; at: Date; byName: string; reason: string }>;
  createdAt: Date;
};

type ChallengeRecord = Awaited<ReturnType<typeof loadOne>>;

function loadOne(id: string) {
  return Challenge.findById(id).lean();
}

function toView(doc: NonNullable<ChallengeRecord>): ChallengeView {
  return {
    id: String(doc._id),
    title: doc.title,
    summary: doc.summary,
    brief: doc.brief,
    briefHtml: doc.briefHtml,
    coverImageId: doc.coverImageId ?? null,
    audience: doc.audience,
    invitedEmails: doc.invitedEmails,
    submissionVisibility: doc.submissionVisibility,
    prizes: doc.prizes.map((prize) => ({ tier: prize.tier ?? '', text: prize.text ?? '' })),
    terms: doc.terms,
    fields: doc.fields.map((field) => ({ key: field.key, label: field.label, type: field.type, required: field.required, choices: field.choices })),
    criteria: doc.criteria.map((c) => ({ name: c.name, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMax, guidance: c.guidance })),
    targetBacklog: doc.targetBacklog,
    copilotIds: doc.copilotIds.map(String),
    judgeIds: doc.judgeIds.map(String),
    phase: doc.phase as Phase,
    appealsEnabled: doc.appealsEnabled,
    voteBudget: doc.voteBudget ?? 0,
    crowdSees: doc.crowdSees ?? 'approved',
    reportThreshold: doc.reportThreshold ?? 3,
    timezone: doc.timezone,
    schedule: { ...(doc.schedule ?? {}) } as Schedule,
    phaseHistory: doc.phaseHistory.map((move) => ({ from: move.from, to: move.to, at: move.at, byName: move.byName, reason: move.reason })),
    createdAt: doc.createdAt,
  };
}

const NO_TEAM_ROLES = Object.freeze({ curates: false, judges: false });

/**
 * Every challenge, kept in memory: challenges are few and read on every page, and the embedded
 * engine scans on anything but _id. Loaded on first use; the service reloads a challenge by _id
 * after each write, before it answers, so the next page never shows the old version.
 */
export function createChallengeCatalog() {
  let loading: Promise<Map<string, ChallengeView>> | undefined;
  const load = () =>
    (loading ??= Challenge.find({})
      .lean()
      .then((docs) => new Map(docs.map((doc) => [String(doc._id), toView(doc)]))));

  // Who curates or judges anything, derived from the views: rebuilt on the first ask after a change.
  let teamRoles: Map<string, { curates: boolean; judges: boolean }> | undefined;

  async function refresh(id: string) {
    const views = await load();
    const doc = await loadOne(id);
    if (doc) views.set(id, toView(doc));
    else views.delete(id);
    teamRoles = undefined;
  }

  function buildTeamRoles(views: Map<string, ChallengeView>) {
    const roles = new Map<string, { curates: boolean; judges: boolean }>();
    const entry = (userId: string) => roles.get(userId) ?? roles.set(userId, { curates: false, judges: false }).get(userId)!;
    for (const challenge of views.values()) {
      for (const userId of challenge.copilotIds) entry(userId).curates = true;
      for (const userId of challenge.judgeIds) entry(userId).judges = true;
    }
    return roles;
  }

  return {
    all: async () => [...(await load()).values()],
    /** Whether the user is a copilot (curates) or a judge of any challenge: the nav's links, on every page. */
    async teamRolesOf(userId: string): Promise<{ curates: boolean; judges: boolean }> {
      const views = await load();
      teamRoles ??= buildTeamRoles(views);
      return teamRoles.get(userId) ?? NO_TEAM_ROLES;
    },
    /**
     * A challenge this process has not heard of (made by another process a moment ago, its bus
     * message not here yet or lost) is read by _id once, rather than reported missing.
     */
    async get(id: string) {
      const views = await load();
      if (!views.has(id) && mongoose.isValidObjectId(id)) await refresh(id);
      return views.get(id);
    },
    refresh,
    /** Forgets every challenge: the next use loads them again (a script changed many at once). */
    reset: () => {
      loading = undefined;
    },
  };
}

export type ChallengeCatalog = ReturnType<typeof createChallengeCatalog>;
