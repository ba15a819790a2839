import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/**
 * JSON lines (for log collectors) by default; with `pretty`, one short coloured line per entry
 * for a person at a terminal: the request's details stay out of it (the message says them).
 */
export function createLogger(level: string, options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const settings = {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
  };
  if (!options.pretty) return options.destination ? pino(settings, options.destination) : pino(settings);
  // A stream in this thread (not a transport worker): lines appear in order with console output.
  return pino(
    settings,
    PinoPretty({
      colorize: !options.destination && process.stdout.isTTY,
      translateTime: 'HH:MM:ss',
      ignore: 'pid,hostname,reqId,userId,method,path,status,ms',
      singleLine: true,
      sync: true,
      ...(options.destination ? { destination: options.destination } : {}),
    }),
  );
}
