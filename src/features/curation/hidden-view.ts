import type { HideCause } from '../ideas/idea.model.ts';
import { message, translate, type Message } from '../../i18n/i18n.ts';

type Hidden = { cause?: HideCause | string | null; reason?: string | null } | null | undefined;

/**
 * What people read about hidden content: the crowd a placeholder, its authors and the team a
 * note with the copilots' reason. Reports are only ever counted, never attributed: no text
 * here names a reporter.
 */
export function hiddenMessages(kind: 'idea' | 'comment', hidden: Hidden): { placeholder: Message; note: Message } | null {
  if (!hidden?.cause) return null;
  const reason = hidden.reason ?? '';
  switch (hidden.cause) {
    case 'removed':
      return { placeholder: message(`ideaPages.hidden.${kind}.removed`, { reason }), note: message('ideaPages.hidden.removedNote', { reason }) };
    case 'copilot':
      return { placeholder: message(`ideaPages.hidden.${kind}.review`), note: message('ideaPages.hidden.copilotNote', { reason }) };
    default:
      return { placeholder: message(`ideaPages.hidden.${kind}.review`), note: message('ideaPages.hidden.reportsNote') };
  }
}

/** The same in English, for pages not yet translated (the moderation queue). */
export function hiddenTexts(kind: 'idea' | 'comment', hidden: Hidden): { placeholder: string; note: string } | null {
  const texts = hiddenMessages(kind, hidden);
  return texts && { placeholder: translate('en', texts.placeholder), note: translate('en', texts.note) };
}
