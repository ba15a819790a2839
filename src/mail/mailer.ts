import nodemailer from 'nodemailer';
import type { Logger } from '../shared/logger.ts';

export type OutgoingMail = { to: string; subject: string; text: string };
export type KeptMail = OutgoingMail & { id: number; sentAt: Date };

export type Mailer = {
  send: (mail: OutgoingMail) => Promise<void>;
  /** Messages kept in memory when no SMTP server is configured (development only). */
  outbox: () => KeptMail[];
};

const OUTBOX_LIMIT = 50;

export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      send: async (mail) => {
        await transport.sendMail({ from: options.from, ...mail });
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
