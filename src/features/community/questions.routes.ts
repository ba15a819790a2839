import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { returnOnInvalid } from '../../web/kept-input.ts';
import { parseInput } from '../../web/validate.ts';
import type { Questions } from './questions.service.ts';

const text = z.object({ body: z.string({ message: 'community.question.write' }).trim().min(1, 'community.question.write').max(5_000, 'community.question.tooLong') });

export function questionsRoutes({ questions }: { questions: Questions }): Router {
  const router = Router();
  const back = (id: string) => `/challenges/${id}#questions`;

  router.post('/challenges/:id/questions', requireSignIn, async (req, res) => {
    const id = String(req.params.id);
    returnOnInvalid(res, back(id));
    await questions.ask(actorOf(req), id, parseInput(text, req.body).body);
    await redirectWithNotice(req, res, back(id), 'success', message('community.question.asked'));
  });

  router.post('/challenges/:id/questions/:questionId/answers', requireSignIn, async (req, res) => {
    const id = String(req.params.id);
    returnOnInvalid(res, back(id));
    await questions.answer(actorOf(req), id, String(req.params.questionId), parseInput(text, req.body).body);
    await redirectWithNotice(req, res, back(id), 'success', message('community.question.answered'));
  });

  router.post('/challenges/:id/announcements', requireSignIn, async (req, res) => {
    const id = String(req.params.id);
    returnOnInvalid(res, back(id));
    await questions.announce(actorOf(req), id, parseInput(text, req.body).body);
    // To the announcement itself, at the top of the page (its form is below, with the questions).
    await redirectWithNotice(req, res, `/challenges/${id}#announcements`, 'success', message('community.question.announced'));
  });

  return router;
}
