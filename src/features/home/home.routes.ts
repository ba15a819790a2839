import { Router } from 'express';
import type { Challenges } from '../challenges/challenges.service.ts';

export function homeRoutes({ challenges }: { challenges: Challenges }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const open = await challenges.listChallenges(req.user ?? null, { phase: 'open', audience: '', mine: null });
    res.render('home/index', { title: 'Co-creation challenges that end in shipped work', openChallenges: open.slice(0, 3), moreOpen: open.length > 3 });
  });
  return router;
}
