import { common } from '../../i18n/catalogue/common.ts';

/**
 * A backlog item's path: proposed → accepted → planned → in progress → shipped | declined. Any
 * open item may be declined; a step back undoes a mistaken move; a declined item may be
 * proposed again. Shipped is final.
 */
export const ITEM_STATUSES = ['proposed', 'accepted', 'planned', 'in-progress', 'shipped', 'declined'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

// English names from the catalogue (`common.itemStatusLabel`), where their German stands beside them.
export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = common.en.itemStatusLabel;

const MOVES: Record<ItemStatus, ItemStatus[]> = {
  proposed: ['accepted', 'declined'],
  accepted: ['planned', 'declined', 'proposed'],
  planned: ['in-progress', 'declined', 'accepted'],
  'in-progress': ['shipped', 'declined', 'planned'],
  shipped: [],
  declined: ['proposed'],
};

export const allowedMoves = (from: ItemStatus): ItemStatus[] => MOVES[from];
export const isAllowedMove = (from: ItemStatus, to: ItemStatus) => MOVES[from].includes(to);

/** What a move means for the source ideas' own status: the loop back to their authors. */
export function ideaStatusFor(item: ItemStatus): 'promoted' | 'shipped' | 'declined' {
  return item === 'shipped' ? 'shipped' : item === 'declined' ? 'declined' : 'promoted';
}
