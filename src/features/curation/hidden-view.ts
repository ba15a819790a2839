import { message, type Message } from '../../i18n/i18n.ts';
import type { HideCause } from '../ideas/idea.model.ts';

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
      // The note's sentence ends after the reason: one the copilot ended with a full stop keeps only one.
      return { placeholder: message(`ideaPages.hidden.${kind}.removed`, { reason }), note: message('ideaPages.hidden.removedNote', { reason: reason.replace(/\.+$/, '') }) };
    case 'copilot':
      return { placeholder: message(`ideaPages.hidden.${kind}.review`), note: message('ideaPages.hidden.copilotNote', { reason }) };
    default:
      return { placeholder: message(`ideaPages.hidden.${kind}.review`), note: message('ideaPages.hidden.reportsNote') };
  }
}

/** The note on hidden content alone (the reports queue): the same note the idea page shows its authors and team. */
export const hiddenNote = (hidden: Hidden): Message | null => hiddenMessages('idea', hidden)?.note ?? null;
