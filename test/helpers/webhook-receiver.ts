import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { path: string; headers: IncomingHttpHeaders; body: string; at: number };

/**
 * A webhook receiver on a local port that records every request. It answers 200, except on paths
 * starting with /fail, where it answers 500 after a pause (a broken receiver, for retries), or
 * not at all while `holdFailures` holds them (a receiver that hangs).
 */
export async function startWebhookReceiver() {
  const received: Received[] = [];
  let held: Array<() => void> | null = null;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      if (req.url?.startsWith('/fail')) {
        const answer = () => setTimeout(() => res.writeHead(500).end('broken'), 300);
        if (held) held.push(answer);
        else answer();
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    on: (path: string) => received.filter((request) => request.path === path),
    /** /fail requests get no answer until the function returned is called. */
    holdFailures: () => {
      held = [];
      return () => {
        const waiting = held ?? [];
        held = null;
        for (const answer of waiting) answer();
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
