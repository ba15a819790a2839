import { Router } from 'express';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import type { Individual } from './individual.service.ts';

/** The individual view: `/people/:userId` for staff (and the person), `/my/activity` for oneself. */
export function individualRoutes({ individual }: { individual: Individual }): Router {
  const router = Router();

  router.get('/people/:userId', requireSignIn, async (req, res) => {
    const page = await individual.person(actorOf(req), String(req.params.userId));
    res.render('insights/person', { title: page.self ? 'My activity' : `Activity of ${page.person.name}`, ...page });
  });

  router.get('/my/activity', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    res.render('insights/person', { title: 'My activity', ...(await individual.person(actor, actor.id)) });
  });

  return router;
}
