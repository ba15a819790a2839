import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMailer } from '../../src/mail/mailer.ts';
import { createLogger } from '../../src/shared/logger.ts';

describe('the development outbox', () => {
  it('keeps messages newest first, at most 50, when no SMTP server is set', async () => {
    const mailer = createMailer({ smtpUrl: undefined, from: 'x@example.test', logger: createLogger('silent') });
    for (let i = 1; i <= 55; i++) await mailer.send({ to: 'a@example.test', subject: `Message ${i}`, text: 'hello' });
    const kept = mailer.outbox();
    assert.equal(kept.length, 50);
    assert.equal(kept[0]?.subject, 'Message 55');
    assert.equal(kept[49]?.subject, 'Message 6');
  });
});
