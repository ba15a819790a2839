import http, { type RequestListener, type Server } from 'node:http';
import net from 'node:net';

/**
 * Slow clients (one byte a second) must not hold a connection for minutes: headers must arrive
 * within 10 s and a whole request (uploads included) within 60 s. Node checks these bounds only
 * every `connectionsCheckingInterval`, so that is lowered from its 30 s default.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;
const CONNECTIONS_CHECK_MS = 1_000;

/** How long a stop waits for requests in flight before it closes every connection. */
export const SHUTDOWN_GRACE_MS = 10_000;
// Requests a client sent just before the signal may still sit unread in the socket: connections
// that look idle are kept this long, so those requests are served (with `Connection: close`) instead of reset.
const IDLE_LINGER_MS = 1_000;
const IDLE_SWEEP_MS = 200;

export function createHttpServer(app: RequestListener): Server {
  return http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS }, app);
}

export async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Stops taking connections at once and resolves when every open one has ended: requests in flight
 * finish, and each response during the drain carries `Connection: close` (see drain.ts) so
 * kept-alive clients leave after it. Whatever is still open after `graceMs` is closed.
 */
export async function drainConnections(server: Server, graceMs = SHUTDOWN_GRACE_MS): Promise<{ forced: boolean }> {
  let forced = false;
  // http.Server#close also resets idle kept-alive connections at once, racing requests already on
  // their way; net.Server#close only stops listening and calls back once the last connection ends.
  const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
  let sweep: NodeJS.Timeout | undefined;
  const linger = setTimeout(() => {
    server.closeIdleConnections();
    sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  }, IDLE_LINGER_MS);
  const force = setTimeout(() => {
    forced = true;
    server.closeAllConnections();
  }, graceMs);
  await closed;
  clearTimeout(linger);
  clearInterval(sweep);
  clearTimeout(force);
  return { forced };
}
