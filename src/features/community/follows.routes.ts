import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { FOLLOW_TARGETS } from './follow.model.ts';
import type { Follows } from './follows.service.ts';

const followInput = z.object({
  type: z.enum(FOLLOW_TARGETS),
  id: z.string().regex(/^[0-9a-f]{24}$/, 'community.follow.unknown'),
  action: z.enum(['follow', 'unfollow']).default('follow'),
});

export function followsRoutes({ follows }: { follows: Follows }): Router {
  const router = Router();
  router.post('/follows', requireSignIn, async (req, res) => {
    const { type, id, action } = parseInput(followInput, req.body);
    if (action === 'follow') await follows.followTarget(actorOf(req), type, id);
    else await follows.unfollowTarget(actorOf(req), type, id);
    const back = type === 'challenge' ? `/challenges/${id}` : `/ideas/${id}`;
    await redirectWithNotice(req, res, back, 'success', message(action === 'follow' ? 'community.follow.following' : 'community.follow.unfollowed'));
  });
  return router;
}
