import { translator, type Locale } from './i18n.ts';
import type { Catalogue } from './catalogue/index.ts';

type EmailKey = Exclude<keyof Catalogue['email'], 'greeting' | 'digest' | 'footer'>;

/** An email's subject and text in the recipient's language: greeting, body, nothing else. */
export function localizedMail(locale: Locale, key: EmailKey, name: string, values: Record<string, string>): { subject: string; text: string } {
  const t = translator(locale);
  return { subject: t(`email.${key}.subject`, values), text: `${t('email.greeting', { name })}\n\n${t(`email.${key}.body`, values)}\n` };
}
