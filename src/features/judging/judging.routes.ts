import { message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { canManageJudging, canOpenJudging, canSeeResults } from './judging.policy.ts';
import type { JudgingService } from './judging.service.ts';
import { conflictInput, nudgeInput, reassignInput, scorecardInput, setupInput } from './judging.schemas.ts';
import type { Pulls } from './pulls.service.ts';
import type { Results } from './results.service.ts';
import type { Scorecards } from './scorecards.service.ts';
import { roundTo } from '../../shared/rounding.ts';
import { plainSummary } from './plain-summary.ts';

const judgingPath = (challengeId: string) => `/challenges/${challengeId}/judging`;

export function judgingRoutes({ judging, scorecards, results, pulls }: { judging: JudgingService; scorecards: Scorecards; results: Results; pulls: Pulls }): Router {
  const router = Router();
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function renderScorecard(req: Request, res: Response, options: { errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    const view = await scorecards.view(actorOf(req), String(req.params.challengeId), String(req.params.ideaId));
    const values = options.values;
    res.render('judging/scorecard', {
      title: message('judging.scorecard.pageTitle', { title: view.idea.title }),
      ...view,
      idea: { ...view.idea, id: String(view.idea._id) },
      // Re-rendered after a refused save, the form shows what the judge typed, not what was stored.
      criteria: values ? view.criteria.map((criterion) => ({ ...criterion, score: values[`score_${criterion.index}`] ?? '', comment: values[`comment_${criterion.index}`] ?? '' })) : view.criteria,
      values: values ?? view.card ?? {},
      errors: options.errors ?? {},
      errorSummary: options.errors ? message('judging.scorecard.invalid') : undefined,
    });
  }

  router.get('/judging', requireSignIn, async (req, res) => {
    res.render('judging/mine', { title: message('judging.mine.title'), challenges: await judging.myChallenges(actorOf(req)) });
  });

  router.get('/challenges/:challengeId/judging', requireSignIn, async (req, res) => {
    const dashboard = await judging.dashboard(actorOf(req), String(req.params.challengeId));
    const actor = actorOf(req);
    res.render('judging/dashboard', {
      title: message('judging.dashboard.pageTitle', { title: dashboard.challenge.title }),
      ...dashboard,
      remaining: dashboard.total - dashboard.done,
      can: {
        ...res.locals.can,
        manageJudging: canManageJudging(actor),
        seeResults: canSeeResults(actor, dashboard.challenge),
        scoreNext: dashboard.challenge.phase === 'judging' && dashboard.challenge.judgeIds.includes(actor.id),
      },
    });
  });

  router.get('/challenges/:challengeId/judging/setup', requireSignIn, async (req, res) => {
    const view = await judging.setupView(actorOf(req), String(req.params.challengeId));
    res.render('judging/setup', {
      title: message('judging.setup.pageTitle', { title: view.challenge.title }),
      ...view,
      values: { ...view.setup, crowdWeight: roundTo(view.setup.crowdWeight * 100) },
      errors: {},
    });
  });

  router.post('/challenges/:challengeId/judging/setup', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    try {
      await judging.configure(actorOf(req), challengeId, parseInput(setupInput, req.body));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const view = await judging.setupView(actorOf(req), challengeId);
      res.status(400);
      return res.render('judging/setup', {
        title: message('judging.setup.pageTitle', { title: view.challenge.title }),
        ...view,
        values: req.body,
        errors: error.fieldTexts,
        errorSummary: message('judging.setup.invalid'),
      });
    }
    await redirectWithNotice(req, res, `${judgingPath(challengeId)}/setup`, 'success', message('judging.setup.saved'));
  });

  router.post('/challenges/:challengeId/judging/assign', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const setup = await judging.assign(actorOf(req), challengeId);
    await redirectWithNotice(req, res, `${judgingPath(challengeId)}/setup`, 'success', message('judging.setup.assignedNotice', { count: setup.assignments.length }));
  });

  router.post('/challenges/:challengeId/judging/reassign', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const input = parseInput(reassignInput, req.body);
    try {
      await judging.reassign(actorOf(req), challengeId, input.ideaId, input.fromJudgeId, input.toJudgeId);
    } catch (error) {
      // Usually a page older than the setup (someone reassigned meanwhile): back to the setup as it is now, with why.
      if (!(error instanceof Invalid)) throw error;
      return redirectWithNotice(req, res, `${judgingPath(challengeId)}/setup`, 'error', Object.values(error.fieldTexts)[0] ?? error.text);
    }
    await redirectWithNotice(req, res, `${judgingPath(challengeId)}/setup`, 'success', message('judging.setup.reassigned'));
  });

  router.post('/challenges/:challengeId/judging/nudge', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    await judging.nudge(actorOf(req), challengeId, parseInput(nudgeInput, req.body).judgeId);
    await redirectWithNotice(req, res, `${judgingPath(challengeId)}/setup`, 'success', message('judging.setup.reminded'));
  });

  router.post('/challenges/:challengeId/judging/next', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const next = await pulls.nextIdea(actorOf(req), challengeId);
    if (next.ideaId === null) return redirectWithNotice(req, res, judgingPath(challengeId), 'success', next.reason);
    res.redirect(303, `${judgingPath(challengeId)}/ideas/${next.ideaId}`);
  });

  router.post('/challenges/:challengeId/judging/stop', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    await pulls.stopEarly(actorOf(req), challengeId);
    await redirectWithNotice(req, res, `${judgingPath(challengeId)}/results`, 'success', message('judging.results.stopped'));
  });

  router.get('/challenges/:challengeId/judging/results', requireSignIn, async (req, res) => {
    const ranking = await results.ranking(actorOf(req), String(req.params.challengeId));
    res.render('judging/results', {
      title: message('judging.results.pageTitle', { title: ranking.challenge.title }),
      ...ranking,
      crowdPercent: roundTo(ranking.crowdWeight * 100),
      summary: plainSummary(ranking),
      can: { ...res.locals.can, openJudging: canOpenJudging(actorOf(req), ranking.challenge), stopJudging: ranking.adaptive && !ranking.stopped && canManageJudging(actorOf(req)) },
    });
  });

  router.get('/challenges/:challengeId/judging/ideas/:ideaId', requireSignIn, async (req, res) => {
    await renderScorecard(req, res);
  });

  router.post('/challenges/:challengeId/judging/ideas/:ideaId', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const ideaId = String(req.params.ideaId);
    const actor = actorOf(req);
    try {
      const { criteria } = await scorecards.view(actor, challengeId, ideaId);
      const result = await scorecards.save(actor, challengeId, ideaId, parseInput(scorecardInput(criteria.length), req.body));
      if (wantsJson(req)) return res.json({ savedAt: new Date().toISOString(), ...result });
      const saved = result.alreadySubmitted
        ? message('judging.saved.alreadySubmitted')
        : result.submitted
          ? message('judging.saved.submitted', { total: result.total ?? '' })
          : message('judging.saved.draft');
      // Submitted: straight on to the judge's next unscored idea, if one is planned for them.
      const next = result.submitted && !result.alreadySubmitted ? await pulls.nextPlanned(actor, challengeId) : null;
      const where = next ? `${judgingPath(challengeId)}/ideas/${next}` : result.submitted ? judgingPath(challengeId) : `${judgingPath(challengeId)}/ideas/${ideaId}`;
      await redirectWithNotice(req, res, where, 'success', next ? message('judging.saved.thenNext', { saved }) : saved);
    } catch (error) {
      if (!(error instanceof Invalid) || wantsJson(req)) throw error;
      res.status(400);
      await renderScorecard(req, res, { errors: error.fieldTexts, values: req.body as Record<string, unknown> });
    }
  });

  router.post('/challenges/:challengeId/judging/ideas/:ideaId/conflict', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    await judging.declareConflict(actorOf(req), challengeId, String(req.params.ideaId), parseInput(conflictInput, req.body).note);
    await redirectWithNotice(req, res, judgingPath(challengeId), 'success', message('judging.saved.conflict'));
  });

  return router;
}
