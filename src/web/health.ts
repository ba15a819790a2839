import { Router } from 'express';
import { databaseIsReady } from '../db/connection.ts';

/** /healthz: the process is up. /readyz: the database answers (503 until it does again). */
export function healthRoutes(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await databaseIsReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
