import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { returnOnInvalid } from '../../web/kept-input.ts';
import { parseInput } from '../../web/validate.ts';
import type { Comments } from './comments.service.ts';

const commentBody = z.string({ message: 'community.comment.write' }).trim().min(1, 'community.comment.write').max(5_000, 'community.comment.tooLong');
const commentInput = z.object({
  body: commentBody,
  parentId: z
    .string()
    .uuid()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // One per form as rendered: sending the form again (a retry after an error) posts it once.
  idempotencyKey: z
    .string()
    .regex(/^[\w-]{16,64}$/)
    .optional()
    .catch(undefined),
});

const mentionQuery = z.object({ q: z.string().max(100, 'community.comment.mentionTooLong').default('') });

export function commentsRoutes({ comments }: { comments: Comments }): Router {
  const router = Router();
  const back = (ideaId: string, commentId?: string) => `/ideas/${ideaId}${commentId ? `#comment-${commentId}` : '#discussion'}`;

  router.post('/ideas/:id/comments', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    // Refused, a comment goes back to the form under the idea with its text (a reply's form has the browser check it).
    if (!(req.body as { parentId?: unknown }).parentId) returnOnInvalid(res, back(ideaId));
    const input = parseInput(commentInput, req.body);
    const commentId = await comments.addComment(actorOf(req), ideaId, input);
    await redirectWithNotice(req, res, back(ideaId, commentId), 'success', message('community.comment.posted'));
  });

  // Suggestions while typing "@…": names only (never addresses), for who may comment on the idea.
  router.get('/ideas/:id/mentions', requireSignIn, async (req, res) => {
    const { q } = parseInput(mentionQuery, req.query);
    res.json({ names: await comments.mentionSuggestions(actorOf(req), String(req.params.id), q) });
  });

  router.post('/ideas/:id/comments/:commentId', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const commentId = String(req.params.commentId);
    const action = (req.body as { action?: string }).action;
    const actor = actorOf(req);
    returnOnInvalid(res, back(ideaId, commentId));
    if (action === 'remove') await comments.removeComment(actor, ideaId, commentId);
    else if (action === 'official' || action === 'unofficial') await comments.setOfficial(actor, ideaId, commentId, action === 'official');
    else await comments.editComment(actor, ideaId, commentId, parseInput(z.object({ body: commentBody }), req.body).body);
    const notices: Record<string, string> = { remove: 'community.comment.removed', official: 'community.comment.official', unofficial: 'community.comment.unofficial' };
    await redirectWithNotice(req, res, back(ideaId, commentId), 'success', message(notices[action ?? ''] ?? 'community.comment.updated'));
  });

  return router;
}
