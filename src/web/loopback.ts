import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { NotFound } from '../shared/errors.ts';

/** Whether an address is this machine's (127.0.0.0/8, ::1, or 127.x written as IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'loopback';
}

/**
 * Answers only requests made on this machine, and as if nothing were here to anyone else. A
 * reverse proxy on this machine connects from loopback too, so a request it forwards (it says so
 * in a Forwarded or X-Forwarded-For header) is refused whatever `trust proxy` says.
 */
export const fromThisMachineOnly: RequestHandler = (req, _res, next) => {
  const forwarded = req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined;
  if (forwarded || !isLoopback(req.socket.remoteAddress)) throw new NotFound();
  next();
};
