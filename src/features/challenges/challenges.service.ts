import { message, type Message, type Text } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import { splitEmails } from '../../shared/email-list.ts';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import { tokenize } from '../../shared/token-index.ts';
import { deleteFile, openFile, sniffUpload, storeFile, type UploadedFile } from '../../uploads/index.ts';
import { User } from '../accounts/user.model.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ChallengeCatalog, ChallengeView } from './challenge-catalog.ts';
import { Challenge } from './challenge.model.ts';
import { canCreateChallenge, canEditChallenge, canMovePhase, canSeeChallenge, isChallengeTeam } from './challenges.policy.ts';
import type { ChallengeInput } from './challenges.schemas.ts';
import { isAllowedMove, nextPhase, phaseIndex, scheduledPhaseAt, scheduleProblems, type Phase } from './phases.ts';

/** `mine`: the ids of challenges the actor took part in (their ideas), when filtering by them. */
export type ChallengeFilters = { phase: string; audience: string; mine: Set<string> | null };

/** Why the challenge cannot enter `to` yet, or null: judging needs judges to score the shortlist. */
export function readinessProblem(challenge: Pick<ChallengeView, 'judgeIds'>, to: Phase): Message | null {
  if (to === 'judging' && challenge.judgeIds.length === 0) return message('challengeForm.refusal.noJudges');
  return null;
}

// The words of each challenge, kept with its view: the catalog replaces a view whenever its challenge
// changes, so they are never stale. Tokenizing every brief on each search was a twentieth of the page.
const challengeWords = new WeakMap<ChallengeView, Set<string>>();
function wordsOf(challenge: ChallengeView): Set<string> {
  let words = challengeWords.get(challenge);
  if (!words) challengeWords.set(challenge, (words = new Set(tokenize(`${challenge.title} ${challenge.summary} ${challenge.brief}`))));
  return words;
}

export function createChallenges(deps: { events: EventBus; catalog: ChallengeCatalog }) {
  const { events, catalog } = deps;
  // A phase can be entered more than once (back to curation, then judging again): the move's mark tells which.
  events.verifyWith('challenge.phase_changed', async (payload, mark) =>
    mongoose.isValidObjectId(payload.challengeId) && (await Challenge.findById(payload.challengeId, { phaseHistory: 1 }).lean())?.phaseHistory.some((change) => change.key === mark) ? payload : null,
  );

  /** Resolves team emails to users; judges must be staff. Field errors name the address. */
  /** Field messages for copilots and judges who have no account, or judges who are not staff. */
  async function teamProblems(input: { copilots: string[]; judges: string[] }) {
    const emails = [...new Set([...input.copilots, ...input.judges])];
    const users = emails.length ? await User.find({ email: mongoose.trusted({ $in: emails }) }).lean() : [];
    const byEmail = new Map(users.map((user) => [user.email, user]));
    const missing = (list: string[]) => list.find((email) => !byEmail.has(email));
    const fields: Record<string, Text> = {};
    const missingCopilot = missing(input.copilots);
    if (missingCopilot) fields.copilots = message('challengeForm.validation.noAccount', { email: missingCopilot });
    const missingJudge = missing(input.judges);
    if (missingJudge) fields.judges = message('challengeForm.validation.noAccount', { email: missingJudge });
    const notStaff = input.judges.find((email) => {
      const roles = byEmail.get(email)?.roles ?? [];
      return byEmail.has(email) && !roles.includes('staff') && !roles.includes('admin');
    });
    if (!fields.judges && notStaff) fields.judges = message('challengeForm.validation.notStaff', { email: notStaff });
    return { fields, byEmail };
  }

  async function resolveTeam(input: ChallengeInput) {
    const { fields, byEmail } = await teamProblems(input);
    const problems = scheduleProblems(input.schedule, { appealsEnabled: input.appealsEnabled });
    for (const [phase, message] of Object.entries(problems)) {
      // A draft may leave its dates open; a complete, ordered schedule is needed to open it.
      if (input.schedule[phase as keyof typeof input.schedule]) fields[`start_${phase}`] = message;
    }
    if (Object.keys(fields).length) throw new Invalid(fields);
    return {
      copilotIds: input.copilots.map((email) => byEmail.get(email)!._id),
      judgeIds: input.judges.map((email) => byEmail.get(email)!._id),
    };
  }

  /** A cover must be an image by its content; it is stored before the challenge refers to it. */
  async function storeCover(actor: Actor, file: UploadedFile): Promise<string> {
    const type = await sniffUpload(file.buffer, file.originalname, { field: 'cover' });
    if (type.kind !== 'image') throw new Invalid({ cover: message('challengeForm.validation.coverImage') });
    const stored = await storeFile({ buffer: file.buffer, filename: file.originalname, mime: type.mime, ownerId: actor.id, purpose: 'challenge-cover' });
    return stored.fileId;
  }

  function documentFields(input: ChallengeInput, team: { copilotIds: mongoose.Types.ObjectId[]; judgeIds: mongoose.Types.ObjectId[] }) {
    const { copilots: _copilots, judges: _judges, removeCover: _removeCover, ...rest } = input;
    return { ...rest, briefHtml: renderMarkdown(input.brief), ...team };
  }

  async function visibleChallenge(actor: MaybeActor, challengeId: string): Promise<ChallengeView> {
    const challenge = await catalog.get(challengeId);
    // A challenge the actor may not see is reported as missing: its existence is not revealed.
    if (!challenge || !canSeeChallenge(actor, challenge)) throw new NotFound(message('challengeForm.refusal.notFound'));
    return challenge;
  }

  async function move(challenge: ChallengeView, to: Phase, by: MaybeActor, reason: string): Promise<boolean> {
    const from = challenge.phase;
    const intent = await events.intend(['challenge.phase_changed', { challengeId: challenge.id, from, to, byId: by?.id ?? null, reason }]);
    const moved = await Challenge.updateOne(
      { _id: challenge.id, phase: from },
      { $set: { phase: to }, $push: { phaseHistory: { from, to, at: new Date(), byId: by?.id ?? null, byName: by?.name ?? 'scheduler', reason, key: intent.mark } } },
    );
    await catalog.refresh(challenge.id);
    // Another process or person moved it first: their move stands and this one is dropped.
    if (moved.modifiedCount !== 1) {
      await intent.abandon();
      return false;
    }
    await recordAudit(by, { action: 'challenge.phase_changed', targetType: 'challenge', targetId: challenge.id, targetLabel: challenge.title, before: { phase: from }, after: { phase: to }, reason });
    await intent.done();
    return true;
  }

  return {
    visibleChallenge,

    /** The team's problems from the form as typed, so a form with other errors reports these too, at once. */
    async teamProblemsOf(body: Record<string, unknown>): Promise<Record<string, Text>> {
      const list = (value: unknown) => (typeof value === 'string' ? splitEmails(value) : []);
      return (await teamProblems({ copilots: list(body.copilots), judges: list(body.judges) })).fields;
    },

    async listChallenges(actor: MaybeActor, filters: ChallengeFilters): Promise<ChallengeView[]> {
      const all = await catalog.all();
      return all
        .filter((challenge) => canSeeChallenge(actor, challenge))
        .filter((challenge) => !filters.phase || challenge.phase === filters.phase)
        .filter((challenge) => !filters.audience || challenge.audience === filters.audience)
        .filter((challenge) => !filters.mine || isChallengeTeam(actor, challenge) || filters.mine.has(challenge.id))
        .sort((a, b) => phaseIndex(a.phase === 'draft' ? 'closed' : a.phase) - phaseIndex(b.phase === 'draft' ? 'closed' : b.phase) || b.createdAt.getTime() - a.createdAt.getTime());
    },

    /** Visible challenges whose title, summary or brief contain every word of the query. */
    async searchChallenges(actor: MaybeActor, query: string): Promise<ChallengeView[]> {
      const wanted = tokenize(query);
      if (wanted.length === 0) return [];
      const visible = await this.listChallenges(actor, { phase: '', audience: '', mine: null });
      return visible.filter((challenge) => wanted.every((word) => wordsOf(challenge).has(word)));
    },

    async createChallenge(actor: Actor, input: ChallengeInput, cover?: UploadedFile): Promise<string> {
      if (!canCreateChallenge(actor)) throw new Forbidden(message('challengeForm.refusal.createStaffOnly'));
      const team = await resolveTeam(input);
      const coverImageId = cover ? await storeCover(actor, cover) : null;
      const challenge = await Challenge.create({ ...documentFields(input, team), coverImageId, phase: 'draft', createdById: actor.id });
      const id = String(challenge._id);
      await catalog.refresh(id);
      await recordAudit(actor, { action: 'challenge.created', targetType: 'challenge', targetId: id, targetLabel: input.title });
      events.emit('challenge.saved', { challengeId: id });
      return id;
    },

    /**
     * Demo data only: dates each recorded phase move as the saved schedule has that phase begin,
     * so a story played through in a minute reads, on its timeline, as the weeks it stands for.
     */
    async dateMovesBySchedule(challengeId: string): Promise<void> {
      const stored = await Challenge.findById(challengeId).lean();
      if (!stored) return;
      const schedule = stored.schedule as Record<string, Date | null | undefined>;
      const phaseHistory = stored.phaseHistory.map((move) => ({ ...move, at: schedule[move.to] ?? move.at }));
      await Challenge.updateOne({ _id: challengeId }, { $set: { phaseHistory } });
      await catalog.refresh(challengeId);
    },

    async updateChallenge(actor: Actor, challengeId: string, input: ChallengeInput, cover?: UploadedFile): Promise<void> {
      if (!canEditChallenge(actor)) throw new Forbidden(message('challengeForm.refusal.editStaffOnly'));
      const existing = await catalog.get(challengeId);
      if (!existing) throw new NotFound(message('challengeForm.refusal.notFound'));
      const team = await resolveTeam(input);
      const replacing = cover !== undefined || input.removeCover;
      const coverImageId = cover ? await storeCover(actor, cover) : input.removeCover ? null : existing.coverImageId;
      const fields: Record<string, unknown> = { ...documentFields(input, team), coverImageId };
      const stored = (await Challenge.findById(challengeId).lean()) as Record<string, unknown> | null;
      await Challenge.updateOne({ _id: challengeId }, { $set: fields });
      if (replacing && existing.coverImageId) await deleteFile(existing.coverImageId);
      await catalog.refresh(challengeId);
      // The audit keeps what really changed: each changed field's value before and after.
      const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
      const changed = Object.keys(fields).filter((key) => !same(stored?.[key], fields[key]));
      await recordAudit(actor, {
        action: 'challenge.updated',
        targetType: 'challenge',
        targetId: challengeId,
        targetLabel: input.title,
        before: Object.fromEntries(changed.map((key) => [key, stored?.[key] ?? null])),
        after: Object.fromEntries(changed.map((key) => [key, fields[key] ?? null])),
      });
      events.emit('challenge.saved', { challengeId });
    },

    /** A manual move, one step forward or back, with the reason followers will read. */
    async movePhase(actor: Actor, challengeId: string, to: Phase, reason: string): Promise<void> {
      const challenge = await visibleChallenge(actor, challengeId);
      if (!canMovePhase(actor, challenge)) throw new Forbidden(message('challengeForm.refusal.moveWho'));
      if (!isAllowedMove(challenge.phase, to, challenge)) {
        const next = nextPhase(challenge.phase, challenge);
        const phase = message(`common.phase.${challenge.phase}`);
        throw new Conflict(next ? message('challengeForm.refusal.cannotMove', { phase, to: message(`common.phase.${next}`) }) : message('challengeForm.refusal.cannotMoveAnywhere', { phase }));
      }
      if (challenge.phase === 'draft') {
        const problems = scheduleProblems(challenge.schedule, challenge);
        if (Object.keys(problems).length) throw new Conflict(message('challengeForm.refusal.incompleteSchedule', { problem: Object.values(problems)[0]! }));
      }
      const unready = readinessProblem(challenge, to);
      if (unready) throw new Conflict(unready);
      if (!(await move(challenge, to, actor, reason))) throw new Conflict(message('challengeForm.refusal.movedJustNow'));
    },

    /** Moves every challenge whose scheduled start has come, one phase at a time. */
    async runScheduledMoves(now = new Date()): Promise<number> {
      let moves = 0;
      for (const challenge of await catalog.all()) {
        // Drafts open only by hand: scheduling a draft must not publish it by surprise.
        if (challenge.phase === 'draft') continue;
        const due = scheduledPhaseAt(now, challenge.schedule, challenge);
        let current = challenge;
        while (phaseIndex(due) > phaseIndex(current.phase)) {
          const to = nextPhase(current.phase, current);
          // A phase the challenge is not ready for waits for staff (the challenge page says why).
          if (!to || readinessProblem(current, to) || !(await move(current, to, null, 'Scheduled'))) break;
          moves++;
          current = { ...current, phase: to };
        }
      }
      return moves;
    },

    /** The cover of a challenge the actor may see. */
    async cover(actor: MaybeActor, challengeId: string) {
      const challenge = await visibleChallenge(actor, challengeId);
      if (!challenge.coverImageId) throw new NotFound(message('challengeForm.refusal.noCover'));
      return openFile(challenge.coverImageId);
    },

    async teamEmails(challenge: ChallengeView) {
      const ids = [...challenge.copilotIds, ...challenge.judgeIds];
      const users = await Promise.all(ids.map((id) => User.findById(id, { email: 1 }).lean()));
      const emailOf = new Map(users.filter(Boolean).map((user) => [String(user!._id), user!.email]));
      return {
        copilotEmails: challenge.copilotIds.map((id) => emailOf.get(id) ?? ''),
        judgeEmails: challenge.judgeIds.map((id) => emailOf.get(id) ?? ''),
      };
    },
  };
}

export type Challenges = ReturnType<typeof createChallenges>;
