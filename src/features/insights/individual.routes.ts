import { Router } from 'express';
import { message } from '../../i18n/i18n.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import type { Individual } from './individual.service.ts';

/** The individual view: `/people/:userId` for staff (and the person), `/my/activity` for oneself. */
export function individualRoutes({ individual }: { individual: Individual }): Router {
  const router = Router();

  router.get('/people/:userId', requireSignIn, async (req, res) => {
    const page = await individual.person(actorOf(req), String(req.params.userId));
    res.render('insights/person', { title: page.self ? message('insights.person.myActivity') : message('insights.person.activityOf', { name: page.person.name }), ...page });
  });

  router.get('/my/activity', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    res.render('insights/person', { title: message('insights.person.myActivity'), ...(await individual.person(actor, actor.id)) });
  });

  return router;
}
