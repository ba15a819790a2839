import { isMessage, message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import type { MaybeActor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid } from '../../shared/errors.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import { sendStoredFile, uploadedFiles, uploadMiddleware, type UploadRoute } from '../../uploads/index.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { TIME_ZONES } from '../accounts/accounts.schemas.ts';
import type { ChallengeView } from './challenge-catalog.ts';
import { AUDIENCES, BACKLOGS } from './challenge.model.ts';
import { canCreateChallenge, canEditChallenge, canMovePhase, isChallengeTeam, submitRefusal } from './challenges.policy.ts';
import { challengeInput, challengeListQuery, phaseMoveInput, toFormValues } from './challenges.schemas.ts';
import type { Challenges } from './challenges.service.ts';
import type { Follows } from '../community/follows.service.ts';
import { compareRefusal } from '../community/comparisons.service.ts';
import { canReadShortlist } from '../curation/curation.policy.ts';
import { nextPhase, PHASES, phasesOf, previousPhase, SCHEDULED_PHASES } from './phases.ts';
import { nextActionOf } from './next-action.ts';
import { applyRowEdit, parseRowEdit, ROW_LIST_NAMES, rowEditor, withRowsAsText } from './form-rows.ts';
import { canCurate } from '../curation/curation.policy.ts';
import { exportLinks } from '../exports/exports.policy.ts';
import { canSeeChallengeInsights } from '../insights/insights.policy.ts';

const FORM_OPTIONS = {
  audiences: AUDIENCES,
  backlogs: BACKLOGS,
  timeZones: TIME_ZONES,
  schedulePhases: SCHEDULED_PHASES.map((phase) => ({ phase })),
};

/** The timeline of a challenge's phases: when each past one really began (moves by hand included), and the schedule of those to come. */
function timeline(challenge: ChallengeView) {
  const order = phasesOf(challenge);
  const current = order.indexOf(challenge.phase);
  const began = (phase: string) => [...challenge.phaseHistory].reverse().find((move) => move.to === phase)?.at ?? null;
  return order
    .filter((phase) => phase !== 'draft')
    .map((phase) => {
      const state = order.indexOf(phase) < current ? 'done' : order.indexOf(phase) === current ? 'current' : 'upcoming';
      const scheduled = challenge.schedule[phase as keyof typeof challenge.schedule] ?? null;
      // A phase skipped over (no move into it recorded) keeps its schedule.
      const startedAt = state === 'upcoming' ? null : began(phase);
      return { phase, startsAt: startedAt ?? scheduled, began: Boolean(startedAt), state };
    });
}

function phaseMoves(actor: MaybeActor, challenge: ChallengeView) {
  if (!canMovePhase(actor, challenge)) return [];
  const forward = nextPhase(challenge.phase, challenge);
  const back = previousPhase(challenge.phase, challenge);
  return [
    ...(forward ? [{ to: forward, label: message('challenge.moveForward', { phase: message(`common.phase.${forward}`) }) }] : []),
    ...(back && back !== 'draft' && challenge.phase !== 'closed' ? [{ to: back, label: message('challenge.moveBack', { phase: message(`common.phase.${back}`) }) }] : []),
  ];
}

/** What the challenge pages show of ideas, provided by the ideas feature. */
export type ChallengeIdeas = {
  list: (actor: MaybeActor, challenge: ChallengeView, options: { after?: string; sort?: 'newest' | 'oldest' | 'votes' }) => Promise<unknown>;
  count: (actor: MaybeActor, challenge: ChallengeView) => Promise<number>;
  /** The ids of the challenges the actor has ideas in. */
  participated: (actor: MaybeActor) => Promise<Set<string>>;
};

/** The challenge's questions and pinned announcements, provided by the community feature. */
export type ChallengeQuestions = { board: (actor: MaybeActor, challenge: ChallengeView) => Promise<unknown> };

/** The announced winners, provided by the judging feature (null until they are announced). */
export type ChallengeResults = { results: (actor: MaybeActor, challenge: ChallengeView) => Promise<unknown> };

/** The challenge form's cover image: parsed ahead of the CSRF check (see `mountUploads`). Its routes are mounted under /challenges. */
export const challengeUploads: UploadRoute = {
  paths: ['/challenges', '/challenges/:id'],
  parse: uploadMiddleware({ field: 'cover', maxFiles: 1, maxFileBytes: 5 * 1024 * 1024 }),
};

export function challengesRoutes(deps: {
  challenges: Challenges;
  ideas: ChallengeIdeas;
  follows: Follows;
  questions: ChallengeQuestions;
  winners?: ChallengeResults;
  visited?: (req: Request, challengeId: string) => void;
}): Router {
  const { challenges, ideas, follows, questions } = deps;
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseInput(challengeListQuery, req.query);
    const actor = req.user ?? null;
    const mine = query.mine === 'on' ? await ideas.participated(actor) : null;
    const list = await challenges.listChallenges(actor, { phase: query.phase, audience: query.audience, mine });
    const counts = await Promise.all(list.map((challenge) => ideas.count(actor, challenge)));
    res.render('challenges/list', {
      title: message('challenges.list.title'),
      challenges: list.map((challenge, index) => ({
        ...challenge,
        ideaCount: counts[index],
        nextStart: challenge.schedule[nextPhase(challenge.phase, challenge) as keyof typeof challenge.schedule] ?? null,
      })),
      query,
      phases: PHASES.map((phase) => ({ phase })),
      audiences: AUDIENCES,
      canCreate: canCreateChallenge(actor),
      // An empty list under a filter says so, and does not invite creating "the first" challenge.
      filtered: Boolean(query.phase || query.audience || query.mine === 'on'),
    });
  });

  function renderForm(res: Response, options: { challenge?: ChallengeView; values: Record<string, unknown>; errors?: Record<string, Text>; preview?: string; suggestBrowserZone?: boolean }) {
    res.render('challenges/form', {
      title: options.challenge ? message('challengeForm.editTitle', { title: options.challenge.title }) : message('challengeForm.newTitle'),
      challenge: options.challenge,
      values: options.values,
      errors: options.errors ?? {},
      errorSummary: options.errors ? message('challengeForm.invalid') : undefined,
      preview: options.preview,
      suggestBrowserZone: options.suggestBrowserZone ?? false,
      rowEditors: Object.fromEntries(ROW_LIST_NAMES.map((list) => [list, rowEditor(list, options.values)])),
      ...FORM_OPTIONS,
    });
  }

  /** Saves, or with intent=preview re-renders the form with the brief as it will look. */
  async function saveOrPreview(req: Request, res: Response, save: (input: ReturnType<typeof challengeInput.parse>) => Promise<string>, challenge?: ChallengeView) {
    const body = req.body as Record<string, unknown>;
    // Adding, moving or removing a row re-renders the form as typed, saving nothing.
    const edit = parseRowEdit(body.rowEdit);
    if (edit) return renderForm(res, { challenge, values: applyRowEdit(body, edit) });
    try {
      const input = parseInput(challengeInput, withRowsAsText(body));
      if (body.intent === 'preview') return renderForm(res, { challenge, values: body, preview: renderMarkdown(input.brief) });
      const id = await save(input);
      await redirectWithNotice(req, res, `/challenges/${id}`, 'success', challenge ? message('challengeForm.saved') : message('challengeForm.created'));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      // Every problem at once: the team's accounts are checked even when other fields failed first.
      renderForm(res, { challenge, values: body, errors: { ...(await challenges.teamProblemsOf(body)), ...error.fieldTexts } });
    }
  }

  router.get('/new', requireSignIn, (req, res) => {
    if (!canCreateChallenge(actorOf(req))) throw new Forbidden(message('challengeForm.refusal.createStaffOnly'));
    // A blank form: the browser's zone is a better guess than the account's (often the default UTC).
    renderForm(res, {
      values: { audience: 'public', submissionVisibility: 'open', crowdSees: 'approved', reportThreshold: '3', targetBacklog: 'product', timezone: actorOf(req).timezone },
      suggestBrowserZone: true,
    });
  });

  router.post('/', requireSignIn, (req, res) => saveOrPreview(req, res, (input) => challenges.createChallenge(actorOf(req), input, uploadedFiles(req)[0])));

  router.get('/:id/cover', async (req, res) => {
    await sendStoredFile(res, await challenges.cover(req.user ?? null, String(req.params.id)), { inlineImages: true });
  });

  async function renderChallenge(
    req: Request,
    res: Response,
    form: { values?: Record<string, unknown>; errors?: Record<string, Text>; summary?: Text; summaryAction?: { href: string; label: Text } } = {},
  ) {
    const actor = req.user ?? null;
    const challenge = await challenges.visibleChallenge(actor, String(req.params.id));
    deps.visited?.(req, challenge.id);
    const after = typeof req.query.after === 'string' && /^[0-9a-f]{24}$/.test(req.query.after) ? req.query.after : undefined;
    const sort = req.query.sort === 'oldest' || req.query.sort === 'votes' ? req.query.sort : 'newest';
    const results = deps.winners ? await deps.winners.results(actor, challenge) : null;
    res.render('challenges/show', {
      sorts: [{ value: 'newest' }, { value: 'votes' }, { value: 'oldest' }],
      ideas: await ideas.list(actor, challenge, { after, sort }),
      // A vote from the list comes back to this page of it.
      returnTo: req.originalUrl,
      title: challenge.title,
      challenge,
      timeline: timeline(challenge),
      moves: phaseMoves(actor, challenge),
      nextAction: canEditChallenge(actor) ? nextActionOf(challenge, { winnersAnnounced: results !== null }) : null,
      following: await follows.isFollowing(actor, 'challenge', challenge.id),
      qa: await questions.board(actor, challenge),
      results,
      exports: exportLinks(actor, challenge),
      can: {
        ...res.locals.can,
        edit: canEditChallenge(actor),
        submit: submitRefusal(actor, challenge) === null,
        compare: compareRefusal(actor, challenge) === null,
        seeTeamDetails: isChallengeTeam(actor, challenge),
        readShortlist: canReadShortlist(actor, challenge),
        curate: canCurate(actor, challenge),
        insights: canSeeChallengeInsights(actor, challenge),
      },
      submitRefusal: submitRefusal(actor, challenge),
      errors: form.errors ?? {},
      errorSummary: form.summary,
      summaryAction: form.summaryAction,
      values: form.values ?? {},
    });
  }

  router.get('/:id', (req, res) => renderChallenge(req, res));

  router.get('/:id/edit', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    if (!canEditChallenge(actor)) throw new Forbidden(message('challengeForm.refusal.editStaffOnly'));
    const challenge = await challenges.visibleChallenge(actor, String(req.params.id));
    renderForm(res, { challenge, values: toFormValues({ ...challenge, ...(await challenges.teamEmails(challenge)) }) });
  });

  router.post('/:id', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    if (!canEditChallenge(actor)) throw new Forbidden(message('challengeForm.refusal.editStaffOnly'));
    const challenge = await challenges.visibleChallenge(actor, String(req.params.id));
    await saveOrPreview(
      req,
      res,
      async (input) => {
        await challenges.updateChallenge(actor, challenge.id, input, uploadedFiles(req)[0]);
        return challenge.id;
      },
      challenge,
    );
  });

  router.post('/:id/phase', requireSignIn, async (req, res) => {
    const id = String(req.params.id);
    let move;
    try {
      move = parseInput(phaseMoveInput, req.body);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderChallenge(req, res, { values: req.body as Record<string, unknown>, errors: error.fieldTexts, summary: error.text });
    }
    const { to, reason } = move;
    try {
      await challenges.movePhase(actorOf(req), id, to, reason);
    } catch (error) {
      // A move the challenge is not ready for comes back to the phase form, reason kept, saying why.
      if (!(error instanceof Conflict)) throw error;
      res.status(409);
      // The schedule is optional until the challenge opens: the refusal leads to it.
      const toSchedule = isMessage(error.text) && error.text.key === 'challengeForm.refusal.incompleteSchedule';
      const action = toSchedule ? { href: `/challenges/${id}/edit#schedule`, label: message('challengeForm.setSchedule') } : undefined;
      return renderChallenge(req, res, { values: req.body as Record<string, unknown>, summary: error.text, summaryAction: action });
    }
    await redirectWithNotice(req, res, `/challenges/${id}`, 'success', message('challengeForm.moved', { phase: message(`common.phase.${to}`) }));
  });

  return router;
}
