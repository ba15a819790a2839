import { Router, type Request, type Response } from 'express';
import { message, translate, type Text } from '../../i18n/i18n.ts';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectKeepingNotices, redirectWithNotice } from '../../web/flash.ts';
import { returnOnInvalid } from '../../web/kept-input.ts';
import { responseLocale } from '../../web/locale.ts';
import { parseInput } from '../../web/validate.ts';
import type { Canned } from './canned-responses.ts';
import { bulkInput, cannedInput, decisionInput, queueQuery } from './curation.schemas.ts';
import { DECISION_KEYS, DECISION_KINDS, REJECT_REASONS } from './decisions.ts';
import { QUEUE_STATUSES } from './queue.ts';
import type { Screening } from './screening.service.ts';

const queuePath = (challengeId: string) => `/challenges/${challengeId}/curation`;
const itemPath = (challengeId: string, ideaId: string) => `${queuePath(challengeId)}/ideas/${ideaId}`;

// Codes only: the pages name them from the catalogue (`common.rejectReason.*`, `curation.decision.*`).
const reasons = REJECT_REASONS;
const kinds = DECISION_KINDS;
const decisionChoices = DECISION_KINDS.map((value) => ({ value, key: DECISION_KEYS[value] }));
const decided = (kind: (typeof DECISION_KINDS)[number]) => message(`curation.decision.${kind}.past`);

export function screeningRoutes({ screening, canned }: { screening: Screening; canned: Canned }): Router {
  const router = Router();
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function renderItem(req: Request, res: Response, options: { takeOver?: boolean; errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    const view = await screening.item(actorOf(req), String(req.params.challengeId), String(req.params.ideaId), { takeOver: options.takeOver, locale: responseLocale(res) });
    res.render('curation/item', {
      title: message('curation.item.title', { title: view.idea.title }),
      ...view,
      idea: { ...view.idea, id: String(view.idea._id) },
      reasons,
      kinds: decisionChoices,
      responseGroups: DECISION_KINDS.map((kind) => ({ kind, responses: view.responses.filter((response) => response.kind === kind) })).filter((group) => group.responses.length),
      firstAuthor: view.authorNames[0] ?? '',
      // A refused decision re-renders with the outcome chosen and the text typed.
      values: options.values ?? {},
      errors: options.errors ?? {},
      errorSummary: options.errors ? message('curation.item.notSaved') : undefined,
    });
  }

  router.get('/curation', requireSignIn, async (req, res) => {
    res.render('curation/mine', { title: message('curation.mine.title'), challenges: await screening.myChallenges(actorOf(req)) });
  });

  router.get('/challenges/:challengeId/curation', requireSignIn, async (req, res) => {
    const query = queueQuery.parse(req.query);
    const filters = { status: query.status, tag: query.tag, reported: query.reported === 'on', attachments: query.attachments === 'on', similarTo: query.similarTo, sort: query.sort };
    const queue = await screening.queue(actorOf(req), String(req.params.challengeId), filters, { after: query.after || undefined });
    const link = (changes: Record<string, string>) => `?${new URLSearchParams({ ...query, after: '', ...changes }).toString()}`;
    res.render('curation/queue', {
      title: message('curation.queue.title', { challenge: queue.challenge.title }),
      ...queue,
      query,
      tabs: QUEUE_STATUSES.map((status) => ({ status, count: queue.counts[status], current: status === query.status, href: link({ status }) })),
      nextHref: queue.nextAfter ? link({ after: queue.nextAfter }) : null,
      waitingView: query.status === 'submitted',
      reasons,
      kinds,
      responses: await canned.list(queue.challenge.id, responseLocale(res)),
    });
  });

  router.get('/challenges/:challengeId/curation/next', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const after = typeof req.query.after === 'string' && /^[0-9a-f]{24}$/.test(req.query.after) ? req.query.after : undefined;
    const next = await screening.next(actorOf(req), challengeId, after);
    // The notice of what was just done (a decision, a merge) travels on to the next item.
    if (next) return redirectKeepingNotices(req, res, itemPath(challengeId, next));
    await redirectKeepingNotices(req, res, queuePath(challengeId), { kind: 'success', message: message('curation.flash.queueClear') });
  });

  router.get('/challenges/:challengeId/curation/ideas/:ideaId', requireSignIn, async (req, res) => {
    await renderItem(req, res);
  });

  router.post('/challenges/:challengeId/curation/ideas/:ideaId/claim', requireSignIn, async (req, res) => {
    res.locals.tookOver = true;
    await renderItem(req, res, { takeOver: true });
  });

  router.post('/challenges/:challengeId/curation/ideas/:ideaId/decision', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const ideaId = String(req.params.ideaId);
    const actor = actorOf(req);
    try {
      const input = parseInput(decisionInput, req.body);
      const { title } = await screening.decide(actor, challengeId, ideaId, { ...input, locale: responseLocale(res) });
      const next = await screening.next(actor, challengeId, ideaId, { decided: true });
      const location = next ? itemPath(challengeId, next) : queuePath(challengeId);
      if (wantsJson(req)) return res.json({ decided: input.kind, next: location });
      await redirectWithNotice(req, res, location, 'success', message(next ? 'curation.flash.decided' : 'curation.flash.decidedLast', { title, decision: decided(input.kind) }));
    } catch (error) {
      if (!(error instanceof Invalid) || wantsJson(req)) throw error;
      res.status(400);
      await renderItem(req, res, { errors: error.fieldTexts, values: req.body as Record<string, unknown> });
    }
  });

  router.post('/challenges/:challengeId/curation/ideas/:ideaId/skip', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const next = await screening.next(actorOf(req), challengeId, String(req.params.ideaId));
    if (next) return res.redirect(303, itemPath(challengeId, next));
    await redirectWithNotice(req, res, queuePath(challengeId), 'info', message('curation.flash.noOther'));
  });

  router.post('/challenges/:challengeId/curation/bulk', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    // Refused (nothing ticked, a rejection without its reason): back to the queue's form, with what was typed.
    returnOnInvalid(res, `${queuePath(challengeId)}#bulk`);
    const input = parseInput(bulkInput, req.body);
    const result = await screening.decideMany(actorOf(req), challengeId, input.ideaIds, { ...input, locale: responseLocale(res) });
    const count = result.done.length;
    const decision = decided(input.kind);
    // The reasons for skipping are put into words here, in the language of the page that asked.
    const why = result.skipped.map((reason) => translate(responseLocale(res), reason)).join(' ');
    const notice = result.skipped.length
      ? message('curation.flash.bulkSkipped', { count, decision, skipped: result.skipped.length, reasons: why })
      : message('curation.flash.bulk', { count, decision });
    await redirectWithNotice(req, res, queuePath(challengeId), result.skipped.length ? 'info' : 'success', notice);
  });

  router.get('/challenges/:challengeId/curation/responses', requireSignIn, async (req, res) => {
    const challenge = await screening.curatedChallenge(actorOf(req), String(req.params.challengeId));
    res.render('curation/responses', {
      title: message('curation.responses.title', { challenge: challenge.title }),
      challenge,
      responses: await canned.list(challenge.id, responseLocale(res)),
      kinds,
      errors: {},
      values: { kind: 'approve' },
    });
  });

  router.post('/challenges/:challengeId/curation/responses', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const challenge = await screening.curatedChallenge(actor, String(req.params.challengeId));
    try {
      await canned.add(actor, challenge, parseInput(cannedInput, req.body), responseLocale(res));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return res.render('curation/responses', {
        title: message('curation.responses.title', { challenge: challenge.title }),
        challenge,
        responses: await canned.list(challenge.id, responseLocale(res)),
        kinds,
        errors: error.fieldTexts,
        values: req.body,
      });
    }
    await redirectWithNotice(req, res, `${queuePath(challenge.id)}/responses`, 'success', message('curation.responses.added'));
  });

  router.post('/challenges/:challengeId/curation/responses/:responseId', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const challenge = await screening.curatedChallenge(actor, String(req.params.challengeId));
    const responseId = String(req.params.responseId);
    if ((req.body as { intent?: string }).intent === 'delete') {
      await canned.remove(actor, challenge, responseId, responseLocale(res));
      return redirectWithNotice(req, res, `${queuePath(challenge.id)}/responses`, 'success', message('curation.responses.deleted'));
    }
    // Refused (an emptied text): back to this response's form on the page, with what was typed.
    returnOnInvalid(res, `${queuePath(challenge.id)}/responses#response-${responseId}`);
    await canned.update(actor, challenge, responseId, parseInput(cannedInput, req.body), responseLocale(res));
    await redirectWithNotice(req, res, `${queuePath(challenge.id)}/responses`, 'success', message('curation.responses.saved'));
  });

  return router;
}
