import { User } from '../accounts/user.model.ts';
import { isLocale, message, type Locale, type Text } from '../../i18n/i18n.ts';
import { localizedMail } from '../../i18n/mail.ts';
import { storedNote } from './history-notes.ts';
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus, PlannedEvent } from '../../shared/events.ts';
import { registerIdeaVerifiers } from './idea-verifiers.ts';
import { renderMarkdown } from '../../shared/markdown.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import { canSeeOthersIdeas, isChallengeTeam, submitRefusal } from '../challenges/challenges.policy.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import { CONVERGENCE_BOUND_MS } from '../../cluster/change-log.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import { createAuthoredCache } from './authored-cache.ts';
import { addAuthoredIdea } from './authored-ideas.model.ts';
import type { CardFilter, IdeaBoard, IdeaCard, IdeaSort } from './idea-board.ts';
import type { Cursor } from '../../shared/token-index.ts';
import { shownName } from '../../shared/personal-data.ts';
import { openFile, type UploadedFile } from '../../uploads/index.ts';
import { checkNewAttachments, discardAttachments, storeAttachments } from './attachments.ts';
import { createIdeaLifecycle } from './idea-lifecycle.ts';
import { Idea, IdeaRevision, PendingCoAuthorInvite, type HideCause, type IdeaStatus } from './idea.model.ts';
import { canReadIdea, editRefusal, canSeeIdea, canSeeRevisions, isInvitedCoAuthor, reachesCrowd, type IdeaAccess } from './ideas.policy.ts';
import { parseFieldValues, type FieldValues, type IdeaInput } from './ideas.schemas.ts';

/** Which cards of the challenge the actor may see: all (the team), what reached the crowd, and their own. */
function cardFilterFor(actor: MaybeActor, challenge: ChallengeView): CardFilter {
  if (isChallengeTeam(actor, challenge)) return () => true;
  const seesOthers = canSeeOthersIdeas(actor, challenge);
  return (card) => (actor !== null && card.authorIds.includes(actor.id)) || (seesOthers && !card.hidden && reachesCrowd(card.status, challenge));
}

export type IdeaRecord = NonNullable<Awaited<ReturnType<typeof loadIdea>>>;

function loadIdea(ideaId: string) {
  return mongoose.isValidObjectId(ideaId) ? Idea.findById(ideaId).lean() : Promise.resolve(null);
}

export function accessOf(idea: IdeaRecord): IdeaAccess {
  return {
    status: idea.status as IdeaStatus,
    authorId: String(idea.authorId),
    coAuthors: idea.coAuthors.map((c) => ({ userId: String(c.userId), status: c.status as 'invited' | 'accepted' })),
    hidden: (idea.hidden?.cause as HideCause | undefined) ?? null,
  };
}

/** What a vote or a comment needs of an idea: who may act on it, its title, its tags (for the insights' counters) and its count. */
export type IdeaFacts = { id: string; access: IdeaAccess; title: string; tags: string[]; votes: number };
export const factsOf = (idea: IdeaRecord): IdeaFacts => ({ id: String(idea._id), access: accessOf(idea), title: idea.title, tags: idea.tags, votes: idea.voteCount ?? 0 });

/** The same, from the in-memory card of a list: what a list needs to ask the policy per idea without reading each idea. */
/**
 * Made once per card: a list page asks it of each of its 50 cards for each viewer (who may vote,
 * who may see), and a card is replaced, never changed, when its idea changes (idea-board.ts).
 */
const accessByCard = new WeakMap<IdeaCard, Readonly<IdeaAccess>>();
export function accessOfCard(card: IdeaCard): Readonly<IdeaAccess> {
  let access = accessByCard.get(card);
  if (!access) {
    access = Object.freeze({
      status: card.status,
      authorId: card.authorIds[0]!,
      coAuthors: [...card.authorIds.slice(1).map((userId) => ({ userId, status: 'accepted' as const })), ...card.invitedIds.map((userId) => ({ userId, status: 'invited' as const }))],
      hidden: card.hideCause,
    });
    accessByCard.set(card, access);
  }
  return access;
}

/** Everyone an outcome of the idea reaches: its author, accepted co-authors and contributors merged in, once each. */
export function creditedIdsOf(idea: Pick<IdeaRecord, 'authorId' | 'coAuthors'> & { contributors?: Array<{ userId?: unknown }> | null }): string[] {
  const coAuthors = idea.coAuthors.filter((c) => c.status === 'accepted').map((c) => String(c.userId));
  return [...new Set([String(idea.authorId), ...coAuthors, ...(idea.contributors ?? []).map((c) => String(c.userId))])];
}

/** What the author writes, as stored (the markdown rendered once, at save time). */
function content(input: IdeaInput, fieldValues: FieldValues) {
  return { title: input.title, summary: input.summary, body: input.body, bodyHtml: renderMarkdown(input.body), fieldValues, tags: input.tags };
}

/** Whether the edit says what the idea says already (its fields compared as stored: a reordered one counts as a change). */
const sameText = (idea: { title: string; summary: string; body: string; tags: string[]; fieldValues?: unknown }, input: IdeaInput, fieldValues: FieldValues) =>
  idea.title === input.title &&
  idea.summary === input.summary &&
  idea.body === input.body &&
  JSON.stringify(idea.tags) === JSON.stringify(input.tags) &&
  JSON.stringify(idea.fieldValues ?? {}) === JSON.stringify(fieldValues);

/** An idea of a challenge's list: its card, and what this page shows beside it (the vote button's `id`, `title` and `ballot`: partials/card-vote.hbs). */
export type ListedCard = { id: string; title: string; ballot: { voted: boolean } | null; authorNames: Text[]; card: IdeaCard };

export type IdeasDeps = { events: EventBus; challenges: Challenges; board: IdeaBoard; directory: UserDirectory; mailer: Mailer; publicUrl: string; defaultLocale?: Locale };

export function createIdeas(deps: IdeasDeps) {
  const { events, challenges, board, directory, mailer } = deps;
  registerIdeaVerifiers(events);
  const authored = createAuthoredCache(board, loadIdea);
  // An idea page asks for its idea once per part (the idea, the vote, the discussion, merges):
  // read once, kept until the idea is written (board.onChange, here or replayed from another
  // process) and CONVERGENCE_BOUND_MS at most. Who may see it is decided on every call.
  const recentIdeas = createKeyedCache(loadIdea, { ttlMs: CONVERGENCE_BOUND_MS, maxKeys: 2_000 });
  board.onChange((idea) => (idea ? recentIdeas.forget(String(idea._id)) : recentIdeas.clear()));

  /** The idea with its challenge, or NotFound when the actor may not know it exists. */
  async function visibleIdea(actor: MaybeActor, ideaId: string) {
    const idea = await recentIdeas.get(ideaId);
    const challenge = idea ? await challenges.visibleChallenge(actor, String(idea.challengeId)).catch(() => null) : null;
    if (!idea || !challenge || !canSeeIdea(actor, accessOf(idea), challenge)) throw new NotFound(message('ideaChecks.ideaNotFound'));
    return { idea, challenge };
  }

  /**
   * As `visibleIdea`, for a write that needs only the idea's facts: from its card on the board
   * (no read; kept as current as the cache above, through the same writes and change log), read
   * only when it has none (a draft, or an idea this process has not heard of yet).
   */
  async function visibleFacts(actor: MaybeActor, ideaId: string) {
    const card = await board.card(ideaId);
    if (!card) {
      const { idea, challenge } = await visibleIdea(actor, ideaId);
      return { idea: factsOf(idea), challenge };
    }
    const access = accessOfCard(card);
    const challenge = await challenges.visibleChallenge(actor, card.challengeId).catch(() => null);
    if (!challenge || !canSeeIdea(actor, access, challenge)) throw new NotFound(message('ideaChecks.ideaNotFound'));
    return { idea: { id: card.id, access, title: card.title, tags: card.tags, votes: card.votes }, challenge };
  }

  /**
   * Co-authors by email: people with an account, and addresses without one (invited once they
   * sign up and confirm it). The answer is the same either way, so the form never tells whether
   * an address has an account.
   */
  async function resolveCoAuthors(actor: Actor, emails: string[]) {
    if (emails.some((email) => email.toLowerCase() === actor.email.toLowerCase())) throw new Invalid({ coAuthors: message('ideaChecks.alreadyAuthor') });
    const found = await Promise.all(emails.map((email) => directory.byEmail(email)));
    return { people: found.filter((person) => person !== null), unknownEmails: emails.filter((_, index) => !found[index]).map((email) => email.toLowerCase()) };
  }

  /**
   * Remembers invitations to addresses without an account, to deliver when the address is
   * confirmed, and tells each address how to accept: without the mail, nobody at the address
   * would ever learn of the invitation. The inviter is told nothing either way.
   */
  async function rememberInvites(actor: Actor, ideaId: mongoose.Types.ObjectId | string, title: string, emails: string[]) {
    for (const email of emails) {
      await PendingCoAuthorInvite.updateOne({ _id: email }, { $addToSet: { ideaIds: new mongoose.Types.ObjectId(String(ideaId)) } }, { upsert: true });
      const link = `${deps.publicUrl}/sign-up?email=${encodeURIComponent(email)}`;
      await mailer.send({ to: email, ...localizedMail(deps.defaultLocale ?? 'en', 'coAuthorSignUp', email, { by: actor.name, title, link }) });
    }
  }

  // An invited address is confirmed: its invitations become ordinary ones, which the person answers on the idea.
  events.on('user.email_verified', async ({ userId }) => {
    const person = (await directory.people([userId])).get(userId);
    const pending = person ? await PendingCoAuthorInvite.findById(person.email.toLowerCase()).lean() : null;
    if (!person || !pending) return;
    for (const ideaId of pending.ideaIds.map(String)) {
      // Read first: the invitation is announced (recorded) before the write that makes it.
      const read = await Idea.findById(ideaId, { authorId: 1, challengeId: 1, title: 1 }).lean();
      if (!read) continue;
      const inviter = (await directory.people([String(read.authorId)])).get(String(read.authorId));
      const own = String(read.authorId) === userId;
      const intent = await events.intend(
        ...(own
          ? []
          : [
              [
                'idea.coauthor_invited',
                { ideaId, challengeId: String(read.challengeId), userId, byId: String(read.authorId), byName: inviter?.name ?? message('common.formerMemberFirst'), title: read.title },
              ] as PlannedEvent,
            ]),
      );
      const idea = await Idea.findOneAndUpdate(
        { _id: ideaId, invitedEmails: pending._id },
        { $pull: { invitedEmails: pending._id }, $push: { coAuthors: { userId: new mongoose.Types.ObjectId(userId), status: 'invited' } } },
        { returnDocument: 'after' },
      ).lean();
      if (!idea || own) {
        await intent.abandon();
        continue;
      }
      await afterWrite(ideaId);
      await intent.done();
    }
    await PendingCoAuthorInvite.deleteOne({ _id: pending._id });
  });

  /** Everything a submission needs; drafts may be incomplete. */
  function submissionProblems(challenge: ChallengeView, input: IdeaInput, fieldErrors: Record<string, Text>, attachmentCount: number, termsAccepted = false) {
    const problems = { ...fieldErrors };
    if (challenge.terms && !input.acceptTerms && !termsAccepted) problems.acceptTerms = message('ideaChecks.acceptTerms');
    const fileField = challenge.fields.find((field) => field.type === 'file' && field.required);
    if (fileField && attachmentCount === 0) problems.attachments = message('ideaChecks.attachFile', { label: fileField.label });
    return problems;
  }

  /** The idea's id for a form's key: the same key from the same person gives the same id, another key another. */
  const ideaIdFor = (actorId: string, key: string) => new mongoose.Types.ObjectId(createHash('sha256').update(`${actorId}:${key}`).digest('hex').slice(0, 24));

  function contentHash(challengeId: string, input: IdeaInput, fieldValues: FieldValues, files: UploadedFile[]) {
    const { title, summary, body, tags, coAuthors, intent } = input;
    const attachments = files.map((file) => [file.originalname, file.size]);
    return createHash('sha256').update(JSON.stringify({ challengeId, title, summary, body, tags, coAuthors, intent, fieldValues, attachments })).digest('hex');
  }

  /** Mails the invitees; their in-app notices were announced with the write (see `invitations`). */
  async function inviteCoAuthors(actor: Actor, ideaId: string, title: string, people: Array<{ id: string; email: string; name: string }>) {
    for (const person of people) {
      // In the invitee's language: read apart, as the directory keeps names, not settings.
      const { locale } = (await User.findById(person.id, { locale: 1 }).lean()) ?? {};
      const language = isLocale(locale) ? locale : (deps.defaultLocale ?? 'en');
      await mailer.send({ to: person.email, ...localizedMail(language, 'coAuthorInvite', person.name, { by: actor.name, title, link: `${deps.publicUrl}/ideas/${ideaId}` }) });
    }
  }

  /** One page of the ideas of the challenge the actor sees: the team all, the crowd what reached it, a sealed challenge's crowd their own. */
  function visiblePage(actor: MaybeActor, challenge: ChallengeView, options: { after?: string; limit: number; sort?: IdeaSort }) {
    const team = isChallengeTeam(actor, challenge);
    const seesOthers = canSeeOthersIdeas(actor, challenge);
    return board.page(challenge.id, {
      audience: team || !seesOthers ? 'team' : challenge,
      after: options.after,
      sort: options.sort,
      limit: options.limit,
      visible: team || seesOthers ? undefined : (card) => actor !== null && card.authorIds.includes(actor.id),
    });
  }

  /** `key`: the outbox mark of the write, by which a consumer elsewhere finds it happened. */
  function statusChange(status: IdeaStatus, actor: Actor, note: Text, key?: string) {
    return { status, at: new Date(), byId: actor.id, byName: actor.name, ...storedNote(note), key };
  }

  /** The invitations a write sends, announced with it (the mails go after it, from `inviteCoAuthors`). */
  const invitations = (actor: Actor, ideaId: string, challengeId: string, title: string, people: Array<{ id: string }>): PlannedEvent[] =>
    people.map((person) => ['idea.coauthor_invited', { ideaId, challengeId, userId: person.id, byId: actor.id, byName: actor.name, title }]);

  async function afterWrite(ideaId: string) {
    const idea = await Idea.findById(ideaId).lean();
    if (idea) await board.put(idea);
    return idea;
  }

  return {
    visibleIdea,
    visibleFacts,
    /** The idea's path past submission: the only writes other features make to an idea. */
    lifecycle: createIdeaLifecycle({ events, board }),

    /** A new idea from the form: saved as a draft or submitted, once per form however often sent. */
    async createIdea(actor: Actor, challengeId: string, input: IdeaInput, body: Record<string, unknown>, files: UploadedFile[] = []): Promise<{ ideaId: string; submitted: boolean }> {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      const refusal = submitRefusal(actor, challenge);
      if (refusal) throw new Forbidden(refusal);
      if (!input.idempotencyKey) throw new Invalid({ form: message('ideaChecks.formOutOfDateRetry') });
      const submitting = input.intent === 'submit';
      const { values: fieldValues, errors: fieldErrors } = parseFieldValues(challenge, body, submitting);
      const problems = submitting ? submissionProblems(challenge, input, fieldErrors, files.length) : fieldErrors;
      if (Object.keys(problems).length) throw new Invalid(problems);
      const { people: coAuthors, unknownEmails } = await resolveCoAuthors(actor, input.coAuthors);
      const checked = await checkNewAttachments(files, []);

      // The form's key names the idea (its _id, the unique guard): a double click, a retry or
      // parallel identical posts land on one idea, with no write of the key apart from it.
      const ideaId = ideaIdFor(actor.id, input.idempotencyKey);
      const id = String(ideaId);
      const hash = contentHash(challengeId, input, fieldValues, files);
      /** Whether the key's idea is stored (read by _id, on the rare path of a second sending); refused when with other content. */
      const sentBefore = async () => {
        const stored = await Idea.findById(ideaId, { submissionHash: 1 }).lean();
        if (stored && stored.submissionHash !== hash) throw new Conflict(message('ideaChecks.sentWithOtherContent'));
        return stored !== null;
      };
      // A second sending after the first was stored (on the board here): answered without a write.
      if ((await board.card(id)) && (await sentBefore())) return { ideaId: id, submitted: submitting };

      const now = new Date();
      const attachments = await storeAttachments(checked, actor.id);
      // Recorded before the idea is written: a crash after the write still tells the copilots.
      const intent = await events.intend(
        ['idea.saved', { ideaId: id, challengeId }],
        ['idea.created', { ideaId: id, challengeId, authorId: actor.id, tags: input.tags }],
        ...(submitting ? [['idea.submitted', { ideaId: id, challengeId, authorId: actor.id, tags: input.tags }] as PlannedEvent] : []),
        ...invitations(actor, id, challengeId, input.title, coAuthors),
      );
      const created = await Idea.create({
        _id: ideaId,
        submissionHash: hash,
        challengeId,
        authorId: actor.id,
        coAuthors: coAuthors.map((person) => ({ userId: person.id, status: 'invited' })),
        invitedEmails: unknownEmails,
        ...content(input, fieldValues),
        attachments,
        status: submitting ? 'submitted' : 'draft',
        statusHistory: submitting ? [statusChange('draft', actor, ''), statusChange('submitted', actor, '', intent.mark)] : [statusChange('draft', actor, '', intent.mark)],
        termsAcceptedAt: submitting && input.acceptTerms ? now : null,
        submittedAt: submitting ? now : null,
      }).then(
        (doc) => doc.toObject(),
        async (error: unknown) => {
          // Another sending of the form stored it first (or stored it with other content: refused).
          if (!isDuplicateKeyError(error)) throw error;
          await intent.abandon();
          await discardAttachments(attachments);
          await sentBefore();
          return null;
        },
      );
      if (!created) return { ideaId: id, submitted: submitting };
      // A draft is on no board: its author's list names it (a submitted idea is found on the board).
      if (!submitting) await addAuthoredIdea(actor.id, id);
      // The board takes the idea as written: reading it back cost a round trip per submission.
      await board.put(created);
      await intent.done();
      await inviteCoAuthors(actor, id, input.title, coAuthors);
      await rememberInvites(actor, id, input.title, unknownEmails);
      return { ideaId: id, submitted: submitting };
    },

    /**
     * Saves the author's changes. Editing a submitted idea first keeps the text it replaces as a
     * revision; two editors at once are refused rather than one silently overwriting the other.
     */
    /** `unchanged`: the edit of a submitted idea said nothing new, and nothing was written (no revision of nothing). */
    async updateIdea(actor: Actor, ideaId: string, input: IdeaInput, body: Record<string, unknown>, files: UploadedFile[] = []): Promise<{ submitted: boolean; unchanged: boolean }> {
      const { idea, challenge } = await visibleIdea(actor, ideaId);
      const access = accessOf(idea);
      const refusal = editRefusal(actor, access, challenge);
      if (refusal) throw new Forbidden(refusal);
      const submitting = input.intent === 'submit' && idea.status !== 'submitted';
      const { values: fieldValues, errors: fieldErrors } = parseFieldValues(challenge, body, submitting || idea.status !== 'draft');
      const removed = new Set(input.removeAttachments);
      const kept = idea.attachments.filter((attachment) => !removed.has(attachment.fileId));
      const problems = submitting ? submissionProblems(challenge, input, fieldErrors, kept.length + files.length, Boolean(idea.termsAcceptedAt)) : fieldErrors;
      if (Object.keys(problems).length) throw new Invalid(problems);
      const checked = await checkNewAttachments(files, kept);
      const invited = await resolveCoAuthors(actor, input.coAuthors);
      const newCoAuthors = invited.people.filter((person) => person.id !== String(idea.authorId) && !access.coAuthors.some((c) => c.userId === person.id));
      const newEmails = invited.unknownEmails.filter((email) => !(idea.invitedEmails ?? []).includes(email));
      const nothingNew = !submitting && idea.status !== 'draft' && checked.length === 0 && removed.size === 0 && newCoAuthors.length === 0 && newEmails.length === 0;
      if (nothingNew && sameText(idea, input, fieldValues)) return { submitted: false, unchanged: true };

      const now = new Date();
      const added = await storeAttachments(checked, actor.id);
      const push: Record<string, unknown> = {};
      if (newCoAuthors.length) push.coAuthors = { $each: newCoAuthors.map((person) => ({ userId: person.id, status: 'invited' })) };
      if (newEmails.length) push.invitedEmails = { $each: newEmails };
      const intent = await events.intend(
        ['idea.saved', { ideaId, challengeId: challenge.id }],
        ...(submitting ? [['idea.submitted', { ideaId, challengeId: challenge.id, authorId: String(idea.authorId), tags: input.tags }] as PlannedEvent] : []),
        ...invitations(actor, ideaId, challenge.id, input.title, newCoAuthors),
      );
      if (submitting) push.statusHistory = statusChange('submitted', actor, idea.status === 'changes-requested' ? message('ideaHistory.resubmitted') : '', intent.mark);
      // Conditional on the revision read above: of two editors at once, the second is told.
      const result = await Idea.updateOne(
        { _id: ideaId, revision: idea.revision, status: idea.status },
        {
          $set: {
            ...content(input, fieldValues),
            attachments: [...kept, ...added],
            ...(submitting ? { status: 'submitted', submittedAt: idea.submittedAt ?? now, termsAcceptedAt: idea.termsAcceptedAt ?? (input.acceptTerms ? now : null) } : {}),
          },
          ...(idea.status !== 'draft' ? { $inc: { revision: 1 } } : {}),
          ...(Object.keys(push).length ? { $push: push } : {}),
        },
      );
      if (result.modifiedCount !== 1) {
        await intent.abandon();
        await discardAttachments(added);
        throw new Conflict(message('ideaChecks.savedMeanwhile'));
      }
      await discardAttachments(idea.attachments.filter((attachment) => removed.has(attachment.fileId)));
      if (idea.status !== 'draft') {
        // The text this edit replaced, under the revision number the update above claimed.
        await IdeaRevision.create({
          _id: `${ideaId}:${idea.revision + 1}`,
          ideaId,
          number: idea.revision + 1,
          byId: actor.id,
          byName: actor.name,
          title: idea.title,
          summary: idea.summary,
          body: idea.body,
          fieldValues: idea.fieldValues,
          tags: idea.tags,
        });
      }
      await afterWrite(ideaId);
      await intent.done();
      await inviteCoAuthors(actor, ideaId, input.title, newCoAuthors);
      await rememberInvites(actor, ideaId, input.title, newEmails);
      return { submitted: submitting, unchanged: false };
    },

    async respondToInvitation(actor: Actor, ideaId: string, accept: boolean): Promise<void> {
      const { idea } = await visibleIdea(actor, ideaId);
      if (!isInvitedCoAuthor(actor, accessOf(idea))) throw new Conflict(message('ideaChecks.noInvitation'));
      // The whole list is rewritten (the embedded engine lacks positional updates), conditional
      // on the idea being unchanged since it was read.
      const coAuthors = idea.coAuthors.filter((c) => accept || String(c.userId) !== actor.id).map((c) => ({ userId: c.userId, status: String(c.userId) === actor.id ? 'accepted' : c.status }));
      const intent = await events.intend(
        ['idea.saved', { ideaId, challengeId: String(idea.challengeId) }],
        ...(accept
          ? [['idea.coauthor_joined', { ideaId, challengeId: String(idea.challengeId), userId: actor.id, name: actor.name, authorId: String(idea.authorId), title: idea.title }] as PlannedEvent]
          : []),
      );
      const result = await Idea.updateOne({ _id: ideaId, updatedAt: idea.updatedAt }, { $set: { coAuthors } });
      if (result.modifiedCount !== 1) {
        await intent.abandon();
        throw new Conflict(message('ideaChecks.changedWhileAnswering'));
      }
      if (accept) await addAuthoredIdea(actor.id, ideaId);
      await afterWrite(ideaId);
      await intent.done();
    },

    /** A page of the challenge's submitted ideas the actor may see, newest first, with author names. */
    async challengeIdeas(actor: MaybeActor, challenge: ChallengeView, options: { after?: string; limit?: number; sort?: IdeaSort }) {
      const seesOthers = canSeeOthersIdeas(actor, challenge);
      const page = await visiblePage(actor, challenge, { ...options, limit: options.limit ?? 50 });
      const people = await directory.people(page.cards.flatMap((card) => card.authorIds));
      return {
        ...page,
        sealedFromViewer: !seesOthers,
        sort: options.sort ?? 'newest',
        // `card`: the board's own, which the page reads and keeps its rendering of the card with, not a
        // copy of it (copying each card's fields was 2% of a member's list page). `ballot`: the
        // viewer's vote button, filled in by the votes service on this page's own listing.
        cards: page.cards.map((card): ListedCard => ({ id: card.id, title: card.title, ballot: null, authorNames: card.authorIds.map((id) => shownName(people.get(id))), card })),
      };
    },

    /** Submitted ideas in the challenge that resemble a title being typed, among those the actor may see. */
    async similarIdeas(actor: MaybeActor, challengeId: string, title: string, exclude?: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      return board.similar(challenge.id, title, { exclude, visible: cardFilterFor(actor, challenge) });
    },

    /** Ideas in every challenge the actor may see whose words contain the query, best first. */
    async searchIdeas(actor: MaybeActor, query: string, options: { after?: Cursor; limit: number }) {
      const visible = new Map(
        (await challenges.listChallenges(actor, { phase: '', audience: '', mine: null })).map((challenge) => [challenge.id, { challenge, visible: cardFilterFor(actor, challenge) }]),
      );
      const result = await board.search(query, {
        ...options,
        visible: (card) => {
          const entry = visible.get(card.challengeId);
          return entry !== undefined && entry.visible(card);
        },
      });
      return { next: result.next, hits: result.hits.map((hit) => ({ card: hit.meta, challenge: visible.get(hit.meta.challengeId)!.challenge })) };
    },

    /** A file attached to an idea the actor may see. */
    async attachment(actor: MaybeActor, ideaId: string, fileId: string) {
      const { idea, challenge } = await visibleIdea(actor, ideaId);
      if (!canReadIdea(actor, accessOf(idea), challenge)) throw new NotFound(message('ideaChecks.upload.fileNotFound'));
      const attachment = idea.attachments.find((candidate) => candidate.fileId === fileId);
      if (!attachment) throw new NotFound(message('ideaChecks.notAttached'));
      return openFile(fileId);
    },

    /** How many ideas were submitted to each challenge (sealed ones too: the number is public). */
    /** The count the challenge page heads its list with, for this reader (the challenge list shows the same). */
    ideaCount: async (actor: MaybeActor, challenge: ChallengeView) => (await visiblePage(actor, challenge, { limit: 0 })).total,

    async participatedChallengeIds(actor: MaybeActor): Promise<Set<string>> {
      if (!actor) return new Set();
      return new Set((await authored.ideasOf(actor.id)).map((idea) => String(idea.challengeId)));
    },

    /** The ids of every idea the person authors or co-authors, drafts included (the individual view). */
    authoredIdeaIds: (userId: string) => authored.idsOf(userId),

    /** Every idea the actor authors or co-authors, newest first (from memory: see authored-cache.ts). */
    async myIdeas(actor: Actor) {
      const ideas = await authored.ideasOf(actor.id);
      const withChallenges = await Promise.all(ideas.map(async (idea) => ({ idea, challenge: await challenges.visibleChallenge(actor, String(idea.challengeId)).catch(() => null) })));
      return withChallenges
        .filter((entry): entry is { idea: IdeaRecord; challenge: ChallengeView } => entry.challenge !== null)
        .sort((a, b) => b.idea.updatedAt.getTime() - a.idea.updatedAt.getTime());
    },

    async revisions(actor: MaybeActor, ideaId: string) {
      const { idea, challenge } = await visibleIdea(actor, ideaId);
      if (!canSeeRevisions(actor, accessOf(idea), challenge)) throw new Forbidden(message('ideaChecks.revisionsRefused'));
      const numbers = Array.from({ length: idea.revision }, (_, index) => index + 1);
      const revisions = await Promise.all(numbers.map((number) => IdeaRevision.findById(`${ideaId}:${number}`).lean()));
      return { idea, challenge, revisions: revisions.filter((revision) => revision !== null) };
    },
  };
}

export type Ideas = ReturnType<typeof createIdeas>;
