import nodemailer from 'nodemailer';
import type { Logger } from '../shared/logger.ts';

/** `fromName`: the sender's display name (the site's name); the address is always MAIL_FROM's. */
export type OutgoingMail = { to: string; subject: string; text: string; fromName?: string };
export type KeptMail = OutgoingMail & { id: number; sentAt: Date };

export type Mailer = {
  send: (mail: OutgoingMail) => Promise<void>;
  /** Messages kept in memory when no SMTP server is configured (development only). */
  outbox: () => KeptMail[];
};

const OUTBOX_LIMIT = 50;

/** "Cocreate <noreply@example.com>" → "noreply@example.com"; a bare address stays as it is. */
export const addressOf = (from: string) => /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();

/** Every mail sent through it carries the name `senderName` gives at the time (the site's current name). */
export function withSenderName(mailer: Mailer, senderName: () => Promise<string>): Mailer {
  return { ...mailer, send: async (mail) => mailer.send({ fromName: await senderName(), ...mail }) };
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      send: async ({ fromName, ...mail }) => {
        await transport.sendMail({ from: fromName ? { name: fromName, address: addressOf(options.from) } : options.from, ...mail });
      },
      outbox: () => [],
    };
  }

  const kept: KeptMail[] = [];
  let nextId = 1;
  return {
    send: async (mail) => {
      kept.unshift({ ...mail, id: nextId++, sentAt: new Date() });
      kept.length = Math.min(kept.length, OUTBOX_LIMIT);
      options.logger.info({ to: mail.to, subject: mail.subject }, 'mail kept in the development outbox (/dev/outbox)');
    },
    outbox: () => kept,
  };
}
