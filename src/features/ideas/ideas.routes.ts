import { message, type Text } from '../../i18n/i18n.ts';
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { MaybeActor } from '../../shared/actor.ts';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Votes } from '../community/votes.service.ts';
import type { Comparisons } from '../community/comparisons.service.ts';
import type { Follows } from '../community/follows.service.ts';
import type { Comments } from '../community/comments.service.ts';
import type { Merges } from '../curation/merges.service.ts';
import { REPORT_REASONS } from '../community/report.model.ts';
import { canCurate } from '../curation/curation.policy.ts';
import { hiddenMessages } from '../curation/hidden-view.ts';
import { canEditIdea, canReadIdea, editRefusal, canSeeRevisions, isAuthor, isInvitedCoAuthor } from './ideas.policy.ts';
import { isChallengeTeam } from '../challenges/challenges.policy.ts';
import type { BacklogPages } from '../backlogs/backlog-pages.ts';
import { DECISION_KINDS, REJECT_REASONS, type DecisionKind, type RejectReason } from '../curation/decisions.ts';
import { ideaInput } from './ideas.schemas.ts';
import { accessOf, type Ideas } from './ideas.service.ts';
import { nextStepOf, outcomeNoteOf } from './idea-status.ts';
import type { IdeaStatus } from './idea.model.ts';
import { diffVersions } from './revision-diff.ts';
import { noteOf } from './history-notes.ts';
import { ATTACHMENT_LIMITS } from './attachments.ts';
import { megabytes, sendStoredFile, uploadedFiles, uploadMiddleware, type UploadRoute } from '../../uploads/index.ts';

type Deps = {
  ideas: Ideas;
  challenges: Challenges;
  directory: UserDirectory;
  votes: Votes;
  follows: Follows;
  comments: Comments;
  comparisons: Comparisons;
  merges: Merges;
  /** Whether a judge scoring this challenge blind must not see who wrote its ideas. */
  blindFor: (actor: MaybeActor, challenge: ChallengeView) => Promise<boolean>;
  /** The rest of an idea's path: the backlog items it feeds, and where the viewer may promote it. */
  backlog: Pick<BacklogPages, 'itemsOfIdea' | 'promotionTargets'>;
};

/** The challenge's own fields, with the values to show in the form. */
function formFields(challenge: ChallengeView, values: Record<string, unknown>) {
  return challenge.fields.filter((field) => field.type !== 'file').map((field) => ({ ...field, name: `field_${field.key}`, value: values[`field_${field.key}`] ?? '' }));
}

function valuesFromIdea(idea: { title: string; summary: string; body: string; tags: string[]; fieldValues: unknown }) {
  const fieldValues = (idea.fieldValues ?? {}) as Record<string, unknown>;
  return {
    title: idea.title,
    summary: idea.summary,
    body: idea.body,
    tags: idea.tags.join(', '),
    ...Object.fromEntries(Object.entries(fieldValues).map(([key, value]) => [`field_${key}`, String(value)])),
  };
}

/** Ideas that may go into a backlog: the shortlist and what came of it. */
const PROMOTABLE: IdeaStatus[] = ['shortlisted', 'scored', 'winner', 'not-awarded', 'promoted'];

/** The statuses a screening decision leaves an idea in. */
const DECIDED: ReadonlySet<IdeaStatus> = new Set(['approved', 'changes-requested', 'rejected']);

/** The copilots' decision as its authors read it: what was decided, why, and their message. */
function decisionView(decision: { kind?: string | null; reason?: string | null; message?: string | null; byName?: string | null; at?: Date | null }) {
  const kind = decision.kind as DecisionKind;
  return {
    did: DECISION_KINDS.includes(kind) ? message(`idea.did.${kind}`) : kind,
    reason: decision.reason ? (REJECT_REASONS.includes(decision.reason as RejectReason) ? message(`common.rejectReason.${decision.reason}`) : decision.reason) : '',
    message: decision.message ?? '',
    byName: decision.byName ?? '',
    at: decision.at ?? null,
  };
}

/** The idea form's files: parsed ahead of the CSRF check (see `mountUploads`), so its routes below find them in `req.files`. */
export const ideaUploads: UploadRoute = {
  paths: ['/challenges/:challengeId/ideas', '/ideas/:id'],
  parse: uploadMiddleware({ field: 'attachments', maxFiles: ATTACHMENT_LIMITS.filesPerRequest, maxFileBytes: ATTACHMENT_LIMITS.bytesPerFile }),
};

export function ideasRoutes({ ideas, challenges, directory, votes, follows, comments, comparisons, merges, blindFor, backlog }: Deps): Router {
  const router = Router();

  async function renderForm(
    req: Request,
    res: Response,
    options: { challenge: ChallengeView; ideaId?: string; values: Record<string, unknown>; errors?: Record<string, Text>; status?: IdeaStatus; termsAccepted?: boolean; storedTitle?: string },
  ) {
    const title = typeof options.values.title === 'string' ? options.values.title : '';
    // "Is yours one of these?": shown without JavaScript too, once there is a title.
    const similar = title ? await ideas.similarIdeas(req.user ?? null, options.challenge.id, title, options.ideaId) : [];
    res.render('ideas/form', {
      similar,
      // An edit is named by the idea as stored: a refused edit may have emptied the title field.
      title: options.ideaId
        ? message('idea.form.editTitle', { title: options.storedTitle ?? String(options.values.title ?? '') })
        : message('idea.form.newTitle', { challenge: options.challenge.title }),
      challenge: options.challenge,
      ideaId: options.ideaId,
      isDraft: !options.status || options.status === 'draft' || options.status === 'changes-requested',
      // Accepted with the first submission: a resubmission does not ask again.
      termsAccepted: options.termsAccepted ?? false,
      fields: formFields(options.challenge, options.values),
      values: options.values,
      errors: options.errors ?? {},
      errorSummary: options.errors ? message('idea.form.invalid') : undefined,
      limits: { files: ATTACHMENT_LIMITS.filesPerIdea, perFile: megabytes(ATTACHMENT_LIMITS.bytesPerFile), perIdea: megabytes(ATTACHMENT_LIMITS.bytesPerIdea) },
    });
  }

  /** Form errors re-render the form with everything typed; JSON callers (autosave) get JSON. */
  async function handleSave(
    req: Request,
    res: Response,
    challenge: ChallengeView,
    existing: { ideaId: string; status: IdeaStatus; title: string; termsAccepted: boolean } | undefined,
    save: () => Promise<{ ideaId: string; submitted: boolean; unchanged?: boolean }>,
  ) {
    const ideaId = existing?.ideaId;
    const body = req.body as Record<string, unknown>;
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    try {
      const result = await save();
      if (wantsJson) return res.json({ ideaId: result.ideaId, savedAt: new Date().toISOString() });
      if (result.submitted) return redirectWithNotice(req, res, `/ideas/${result.ideaId}`, 'success', message('ideaPages.notice.submitted'));
      if (result.unchanged) return redirectWithNotice(req, res, `/ideas/${result.ideaId}`, 'info', message('ideaPages.notice.unchanged'));
      if (existing && existing.status !== 'draft') return redirectWithNotice(req, res, `/ideas/${result.ideaId}`, 'success', message('ideaPages.notice.saved'));
      return redirectWithNotice(req, res, `/ideas/${result.ideaId}/edit`, 'success', message('ideaPages.notice.draftSaved'));
    } catch (error) {
      if (!(error instanceof Invalid) || wantsJson) throw error;
      res.status(400);
      // As the form was: a submitted idea's edit keeps its "Save changes", not a draft's buttons.
      await renderForm(req, res, { challenge, ideaId, values: body, errors: error.fieldTexts, status: existing?.status, storedTitle: existing?.title, termsAccepted: existing?.termsAccepted });
    }
  }

  router.get('/challenges/:challengeId/ideas/new', requireSignIn, async (req, res) => {
    const challenge = await challenges.visibleChallenge(actorOf(req), String(req.params.challengeId));
    await renderForm(req, res, { challenge, values: { idempotencyKey: randomUUID() } });
  });

  router.post('/challenges/:challengeId/ideas', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const challenge = await challenges.visibleChallenge(actor, String(req.params.challengeId));
    await handleSave(req, res, challenge, undefined, () => ideas.createIdea(actor, challenge.id, parseInput(ideaInput, req.body), req.body as Record<string, unknown>, uploadedFiles(req)));
  });

  // For the form's script: suggestions while the title is typed.
  router.get('/challenges/:challengeId/similar', async (req, res) => {
    const title = typeof req.query.title === 'string' ? req.query.title.slice(0, 150) : '';
    const exclude = typeof req.query.exclude === 'string' ? req.query.exclude : undefined;
    const similar = title ? await ideas.similarIdeas(req.user ?? null, String(req.params.challengeId), title, exclude) : [];
    res.json({ ideas: similar.map((card) => ({ id: card.id, title: card.title, url: `/ideas/${card.id}` })) });
  });

  router.get('/ideas/:id', async (req, res) => {
    const actor: MaybeActor = req.user ?? null;
    const { idea, challenge } = await ideas.visibleIdea(actor, String(req.params.id));
    const access = accessOf(idea);
    const hidden = hiddenMessages('idea', idea.hidden);
    // The crowd reads only why it is gone: not its title, text or discussion.
    if (hidden && !canReadIdea(actor, access, challenge)) return res.render('ideas/hidden', { title: message('ideaPages.hidden.title'), challenge, placeholder: hidden.placeholder });
    // A judge scoring blind sees the idea without who wrote it, commented on it, or was credited.
    const blind = await blindFor(actor, challenge);
    const people = blind ? new Map() : await directory.people([access.authorId, ...access.coAuthors.map((c) => c.userId)]);
    const status = idea.status as IdeaStatus;
    res.render('ideas/show', {
      blind,
      hiddenNote: hidden?.note,
      title: idea.title,
      idea: { ...idea, id: String(idea._id) },
      challenge,
      authors: [access.authorId, ...access.coAuthors.filter((c) => c.status === 'accepted').map((c) => c.userId)].map((id) => people.get(id)).filter(Boolean),
      // By the address invited, never the account's name: the page does not tell who has an account.
      invited: isAuthor(actor, access) ? [...access.coAuthors.filter((c) => c.status === 'invited').map((c) => people.get(c.userId)?.email), ...(idea.invitedEmails ?? [])].filter(Boolean) : [],
      fields: challenge.fields
        .filter((field) => (idea.fieldValues as Record<string, unknown>)?.[field.key] !== undefined)
        .map((field) => ({ label: field.label, value: (idea.fieldValues as Record<string, unknown>)[field.key] })),
      history: idea.statusHistory.map((change) => ({ status: change.status, at: change.at, note: noteOf(change) })),
      nextStep: isAuthor(actor, access) ? nextStepOf(status, challenge.phase) : null,
      // While it is what the idea's status says: resubmitted, or past screening, the card would
      // read as the current word (a request for changes already made); the history keeps it.
      decision: idea.decision && DECIDED.has(status) && (isAuthor(actor, access) || isChallengeTeam(actor, challenge)) ? decisionView(idea.decision) : null,
      vote: await votes.voteState(actor, String(idea._id)),
      crowdScore: await comparisons.ideaScore(String(idea.challengeId), String(idea._id)),
      following: await follows.isFollowing(actor, 'idea', String(idea._id)),
      discussion: blind ? null : await comments.thread(actor, String(idea._id)),
      // Each comment form of this page, sent again (a retry after an error), posts its comment once.
      commentKey: randomUUID(),
      merges: blind ? null : await merges.ideaPage(actor, idea, challenge),
      backlogItems: await backlog.itemsOfIdea(idea.promotedTo),
      promoteInto: PROMOTABLE.includes(status) ? await backlog.promotionTargets(actor, challenge.targetBacklog) : [],
      reportReasons: REPORT_REASONS.map((value) => ({ value })),
      can: {
        ...res.locals.can,
        edit: canEditIdea(actor, access, challenge),
        seeRevisions: canSeeRevisions(actor, access, challenge) && idea.revision > 0,
        answerInvitation: isInvitedCoAuthor(actor, access),
        report: actor !== null && !isAuthor(actor, access) && status !== 'draft',
        hide: !hidden && status !== 'draft' && canCurate(actor, challenge),
        unhide: Boolean(hidden) && canCurate(actor, challenge),
      },
    });
  });

  router.get('/ideas/:id/edit', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const { idea, challenge } = await ideas.visibleIdea(actor, String(req.params.id));
    const refusal = editRefusal(actor, accessOf(idea), challenge);
    if (refusal) return redirectWithNotice(req, res, `/ideas/${String(idea._id)}`, 'info', refusal);
    res.locals.attachments = idea.attachments;
    await renderForm(req, res, { challenge, ideaId: String(idea._id), values: valuesFromIdea(idea), status: idea.status as IdeaStatus, termsAccepted: Boolean(idea.termsAcceptedAt) });
  });

  router.post('/ideas/:id', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const ideaId = String(req.params.id);
    const { idea, challenge } = await ideas.visibleIdea(actor, ideaId);
    res.locals.attachments = idea.attachments;
    await handleSave(req, res, challenge, { ideaId, status: idea.status as IdeaStatus, title: idea.title, termsAccepted: Boolean(idea.termsAcceptedAt) }, async () => ({
      ideaId,
      ...(await ideas.updateIdea(actor, ideaId, parseInput(ideaInput, req.body), req.body as Record<string, unknown>, uploadedFiles(req))),
    }));
  });

  router.get('/ideas/:id/attachments/:fileId', async (req, res) => {
    const file = await ideas.attachment(req.user ?? null, String(req.params.id), String(req.params.fileId));
    await sendStoredFile(res, file, { inlineImages: true });
  });

  router.post('/ideas/:id/invitation', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const accept = (req.body as { answer?: string }).answer === 'accept';
    await ideas.respondToInvitation(actorOf(req), ideaId, accept);
    await redirectWithNotice(req, res, accept ? `/ideas/${ideaId}` : '/my/ideas', 'success', message(accept ? 'ideaPages.notice.coAuthor' : 'ideaPages.notice.declinedInvitation'));
  });

  router.get('/ideas/:id/revisions', async (req, res) => {
    const { idea, challenge, revisions } = await ideas.revisions(req.user ?? null, String(req.params.id));
    // Each revision holds the text an edit replaced: compare it with the version that followed.
    const versions = [...revisions, idea];
    const changes = revisions.map((revision, index) => ({ number: revision.number, at: revision.at, byName: revision.byName, fields: diffVersions(revision, versions[index + 1]!) }));
    res.render('ideas/revisions', { title: message('ideaPages.revisions.title', { title: idea.title }), idea: { ...idea, id: String(idea._id) }, challenge, changes: changes.reverse() });
  });

  router.get('/my/ideas', requireSignIn, async (req, res) => {
    const entries = await ideas.myIdeas(actorOf(req));
    const items = await Promise.all(entries.map(({ idea }) => backlog.itemsOfIdea(idea.promotedTo)));
    res.render('ideas/mine', {
      title: message('idea.mine.title'),
      entries: entries.map(({ idea, challenge }, index) => ({
        // The idea as kept for its author (authored-cache.ts: a new object whenever it changes), which the page keeps the entry's rendering with.
        record: idea,
        backlogItems: items[index],
        id: String(idea._id),
        title: idea.title,
        challenge,
        status: idea.status,
        nextStep: nextStepOf(idea.status as IdeaStatus, challenge.phase),
        outcomeNote: outcomeNoteOf(idea),
        decision: idea.decision ? decisionView(idea.decision) : null,
        path: idea.statusHistory.map((change) => ({ status: change.status, at: change.at })),
        updatedAt: idea.updatedAt,
      })),
    });
  });

  return router;
}
