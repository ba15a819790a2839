import { message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { winnersInput, type WinnersInput } from './winners.schemas.ts';
import type { WinnersService } from './winners.service.ts';

const winnersPath = (challengeId: string) => `/challenges/${challengeId}/judging/winners`;

export function winnersRoutes({ winners }: { winners: WinnersService }): Router {
  const router = Router();

  async function renderPage(req: Request, res: Response, form: { errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    const view = await winners.page(actorOf(req), String(req.params.challengeId));
    const values = form.values;
    res.render('judging/winners', {
      title: message('judging.winners.pageTitle', { title: view.challenge.title }),
      ...view,
      // Re-rendered after a refusal, each tier shows what staff chose and typed.
      tiers: view.tiers.map((tier) => ({
        ...tier,
        ideaId: values ? String(values[`idea_${tier.index}`] ?? '') : (tier.ideaId ?? ''),
        reason: values ? String(values[`reason_${tier.index}`] ?? '') : tier.reason,
        error: form.errors?.[`idea_${tier.index}`],
        reasonError: form.errors?.[`reason_${tier.index}`],
      })),
      values: values ?? {},
      errors: form.errors ?? {},
      errorSummary: form.errors ? message('judging.winners.invalid') : undefined,
    });
  }

  /** What announcing would tell everyone, with the choices carried in hidden fields to confirm or change. */
  async function renderPreview(req: Request, res: Response, input: WinnersInput) {
    const view = await winners.page(actorOf(req), String(req.params.challengeId));
    const titles = new Map(view.rows.map((row) => [row.ideaId, row.title]));
    res.render('judging/winners-preview', {
      title: message('judging.winners.previewTitle', { title: view.challenge.title }),
      challenge: view.challenge,
      awards: view.tiers.map((tier, index) => ({ tier: tier.tier, prize: tier.prize, title: titles.get(input.choices[index]?.ideaId ?? '') ?? null, reason: input.choices[index]?.reason ?? '' })),
      fields: [
        ...input.choices.flatMap((choice, index) => [
          { name: `idea_${index}`, value: choice.ideaId ?? '' },
          { name: `reason_${index}`, value: choice.reason },
        ]),
        ...(input.reason ? [{ name: 'reason', value: input.reason }] : []),
      ],
    });
  }

  router.get('/challenges/:challengeId/judging/winners', requireSignIn, (req, res) => renderPage(req, res));

  router.post('/challenges/:challengeId/judging/winners', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const actor = actorOf(req);
    let announced: boolean;
    try {
      const { challenge } = await winners.page(actor, challengeId);
      const input = parseInput(winnersInput(challenge.prizes.length), req.body);
      if (input.intent === 'edit') return renderPage(req, res, { values: req.body as Record<string, unknown> });
      if (input.intent === 'preview') {
        // Choices the announcement would refuse are refused here, not after "Confirm and announce".
        await winners.check(actor, challengeId, input);
        return renderPreview(req, res, input);
      }
      announced = input.announce;
      if (input.announce) await winners.announce(actor, challengeId, input);
      else await winners.save(actor, challengeId, input);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderPage(req, res, { errors: error.fieldTexts, values: req.body as Record<string, unknown> });
    }
    if (announced) return redirectWithNotice(req, res, `/challenges/${challengeId}#results`, 'success', message('judging.winners.announced'));
    await redirectWithNotice(req, res, winnersPath(challengeId), 'success', message('judging.winners.saved'));
  });

  return router;
}
