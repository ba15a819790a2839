import { Router, type Request, type Response } from 'express';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectKeepingNotices, redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { STATUS_LABELS } from '../ideas/idea-status.ts';
import type { IdeaStatus } from '../ideas/idea.model.ts';
import type { Canned } from './canned-responses.ts';
import { bulkInput, cannedInput, decisionInput, queueQuery } from './curation.schemas.ts';
import { DECISION_KINDS, DECISION_LABELS, REJECT_REASON_LABELS, REJECT_REASONS } from './decisions.ts';
import { QUEUE_STATUSES } from './queue.ts';
import type { Screening } from './screening.service.ts';

const queuePath = (challengeId: string) => `/challenges/${challengeId}/curation`;
const itemPath = (challengeId: string, ideaId: string) => `${queuePath(challengeId)}/ideas/${ideaId}`;

const QUEUE_TAB_LABELS: Record<(typeof QUEUE_STATUSES)[number], string> = {
  submitted: 'Waiting',
  'changes-requested': 'Sent back',
  approved: 'Approved',
  rejected: 'Rejected',
  merged: 'Merged',
  all: 'All',
};

const reasons = REJECT_REASONS.map((value) => ({ value, label: REJECT_REASON_LABELS[value] }));
const kinds = DECISION_KINDS.map((value) => ({ value, label: DECISION_LABELS[value].verb }));
const decisionChoices = DECISION_KINDS.map((value) => ({ value, ...DECISION_LABELS[value], label: DECISION_LABELS[value].verb }));

export function screeningRoutes({ screening, canned }: { screening: Screening; canned: Canned }): Router {
  const router = Router();
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function renderItem(req: Request, res: Response, options: { takeOver?: boolean; errors?: Record<string, string>; values?: Record<string, unknown> } = {}) {
    const view = await screening.item(actorOf(req), String(req.params.challengeId), String(req.params.ideaId), { takeOver: options.takeOver });
    res.render('curation/item', {
      title: `Screening: ${view.idea.title}`,
      ...view,
      idea: { ...view.idea, id: String(view.idea._id), statusLabel: STATUS_LABELS[view.idea.status as IdeaStatus] },
      reasons,
      kinds: decisionChoices,
      responseGroups: DECISION_KINDS.map((kind) => ({ kind, label: DECISION_LABELS[kind].verb, responses: view.responses.filter((response) => response.kind === kind) })).filter(
        (group) => group.responses.length,
      ),
      firstAuthor: view.authorNames[0] ?? '',
      // A refused decision re-renders with the outcome chosen and the text typed.
      values: options.values ?? {},
      errors: options.errors ?? {},
      errorSummary: options.errors ? 'The decision was not saved: see the highlighted field. Your choice and message are kept below.' : undefined,
    });
  }

  router.get('/curation', requireSignIn, async (req, res) => {
    res.render('curation/mine', { title: 'Your screening queues', challenges: await screening.myChallenges(actorOf(req)) });
  });

  router.get('/challenges/:challengeId/curation', requireSignIn, async (req, res) => {
    const query = queueQuery.parse(req.query);
    const filters = { status: query.status, tag: query.tag, reported: query.reported === 'on', attachments: query.attachments === 'on', similarTo: query.similarTo, sort: query.sort };
    const queue = await screening.queue(actorOf(req), String(req.params.challengeId), filters, { after: query.after || undefined });
    const link = (changes: Record<string, string>) => `?${new URLSearchParams({ ...query, after: '', ...changes }).toString()}`;
    res.render('curation/queue', {
      title: `Screening queue: ${queue.challenge.title}`,
      ...queue,
      query,
      tabs: QUEUE_STATUSES.map((status) => ({ status, label: QUEUE_TAB_LABELS[status], count: queue.counts[status], current: status === query.status, href: link({ status }) })),
      nextHref: queue.nextAfter ? link({ after: queue.nextAfter }) : null,
      waitingView: query.status === 'submitted',
      reasons,
      kinds,
      responses: await canned.list(queue.challenge.id),
    });
  });

  router.get('/challenges/:challengeId/curation/next', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const after = typeof req.query.after === 'string' && /^[0-9a-f]{24}$/.test(req.query.after) ? req.query.after : undefined;
    const next = await screening.next(actorOf(req), challengeId, after);
    // The notice of what was just done (a decision, a merge) travels on to the next item.
    if (next) return redirectKeepingNotices(req, res, itemPath(challengeId, next));
    (req.session.flash ??= []).push({ kind: 'success', message: 'Nothing is waiting for a decision. The queue is clear.' });
    await redirectKeepingNotices(req, res, queuePath(challengeId));
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
      const { title } = await screening.decide(actor, challengeId, ideaId, input);
      const next = await screening.next(actor, challengeId, ideaId);
      const location = next ? itemPath(challengeId, next) : queuePath(challengeId);
      if (wantsJson(req)) return res.json({ decided: input.kind, next: location });
      await redirectWithNotice(req, res, location, 'success', `“${title}” is ${DECISION_LABELS[input.kind].past}.${next ? '' : ' Nothing else is waiting.'}`);
    } catch (error) {
      if (!(error instanceof Invalid) || wantsJson(req)) throw error;
      res.status(400);
      await renderItem(req, res, { errors: error.fields, values: req.body as Record<string, unknown> });
    }
  });

  router.post('/challenges/:challengeId/curation/ideas/:ideaId/skip', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const next = await screening.next(actorOf(req), challengeId, String(req.params.ideaId));
    if (next) return res.redirect(303, itemPath(challengeId, next));
    await redirectWithNotice(req, res, queuePath(challengeId), 'info', 'No other idea is waiting.');
  });

  router.post('/challenges/:challengeId/curation/bulk', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const input = parseInput(bulkInput, req.body);
    const result = await screening.decideMany(actorOf(req), challengeId, input.ideaIds, input);
    const skipped = result.skipped.length ? ` ${result.skipped.length} skipped: ${result.skipped.join(' ')}` : '';
    await redirectWithNotice(
      req,
      res,
      queuePath(challengeId),
      result.skipped.length ? 'info' : 'success',
      `${result.done.length} ${result.done.length === 1 ? 'idea' : 'ideas'} ${result.label}.${skipped}`,
    );
  });

  router.get('/challenges/:challengeId/curation/responses', requireSignIn, async (req, res) => {
    const challenge = await screening.curatedChallenge(actorOf(req), String(req.params.challengeId));
    res.render('curation/responses', { title: `Canned responses: ${challenge.title}`, challenge, responses: await canned.list(challenge.id), kinds, errors: {}, values: { kind: 'approve' } });
  });

  router.post('/challenges/:challengeId/curation/responses', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const challenge = await screening.curatedChallenge(actor, String(req.params.challengeId));
    try {
      await canned.add(actor, challenge, parseInput(cannedInput, req.body));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return res.render('curation/responses', { title: `Canned responses: ${challenge.title}`, challenge, responses: await canned.list(challenge.id), kinds, errors: error.fields, values: req.body });
    }
    await redirectWithNotice(req, res, `${queuePath(challenge.id)}/responses`, 'success', 'Response added.');
  });

  router.post('/challenges/:challengeId/curation/responses/:responseId', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const challenge = await screening.curatedChallenge(actor, String(req.params.challengeId));
    const responseId = String(req.params.responseId);
    if ((req.body as { intent?: string }).intent === 'delete') {
      await canned.remove(actor, challenge, responseId);
      return redirectWithNotice(req, res, `${queuePath(challenge.id)}/responses`, 'success', 'Response deleted.');
    }
    await canned.update(actor, challenge, responseId, parseInput(cannedInput, req.body));
    await redirectWithNotice(req, res, `${queuePath(challenge.id)}/responses`, 'success', 'Response saved.');
  });

  return router;
}
