import type { RequestHandler } from 'express';

/**
 * The process's stop state, shared by the readiness check (503 at once, so a load balancer stops
 * sending) and every response (`Connection: close`, so kept-alive clients leave after it).
 */
export function createDrain() {
  let draining = false;
  const closeConnections: RequestHandler = (_req, res, next) => {
    if (draining) res.setHeader('Connection', 'close');
    next();
  };
  return {
    begin: () => {
      draining = true;
    },
    isDraining: () => draining,
    closeConnections,
  };
}

export type Drain = ReturnType<typeof createDrain>;
