import { Router } from 'express';
import { databaseIsReady } from '../db/connection.ts';

/**
 * /healthz: the process is up. /readyz: the database answers (503 until it does again), and
 * the process is not stopping (503 from the signal on, so no new traffic is sent here).
 */
export function healthRoutes(options: { isDraining?: () => boolean } = {}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (options.isDraining?.()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const ready = await databaseIsReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
