import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Home } from './home.service.ts';

/** The marketing page for visitors; for a signed-in person, their home: what needs them. */
export function homeRoutes({ challenges, home }: { challenges: Challenges; home: Home }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (req.user) {
      res.render('home/dashboard', { title: message('dashboard.title'), ...(await home.forActor(req.user)) });
      return;
    }
    const open = await challenges.listChallenges(null, { phase: 'open', audience: '', mine: null });
    res.render('home/index', { title: message('home.title'), openChallenges: open.slice(0, 3), moreOpen: open.length > 3 });
  });
  return router;
}
