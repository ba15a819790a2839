/**
 * The socket.io rooms and what travels in them. Clients ask for `challenge:<id>` and `idea:<id>`;
 * the server alone puts a socket in `challenge:<id>:team` (the challenge's staff, copilots and
 * judges, who see sealed submissions) and in `user:<id>` (every socket of a signed-in person).
 */
import type { Phase } from '../features/challenges/phases.ts';

export const rooms = {
  challenge: (challengeId: string) => `challenge:${challengeId}`,
  challengeTeam: (challengeId: string) => `challenge:${challengeId}:team`,
  idea: (ideaId: string) => `idea:${ideaId}`,
  user: (userId: string) => `user:${userId}`,
  /** A challenge's screening queue: its copilots and staff only. */
  curation: (challengeId: string) => `curation:${challengeId}`,
};

export type RoomRequest = { kind: 'challenge' | 'idea' | 'curation'; id: string; name: string };

const REQUESTABLE = /^(challenge|idea|curation):([0-9a-f]{24})$/;

/** A room a client may ask to join, or null for anything else (including the team and user rooms). */
export function parseRoomRequest(value: unknown): RoomRequest | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const match = REQUESTABLE.exec(value);
  if (!match) return null;
  return { kind: match[1] as RoomRequest['kind'], id: match[2]!, name: value };
}

/** Rooms that follow a challenge or an idea (as opposed to a socket's own and its user's). */
export const isWatchRoom = (room: string) => room.startsWith('challenge:') || room.startsWith('idea:') || room.startsWith('curation:');

/** Server → browser. Only ids and small public fields: anything else the page fetches as usual. */
export type ServerToClientEvents = {
  /** An idea was submitted to a challenge the recipient may see the ideas of. */
  'idea:new': (payload: { challengeId: string; ideaId: string }) => void;
  'idea:votes': (payload: { ideaId: string; votes: number }) => void;
  /** A comment was posted on an idea the recipient is watching (its room admits only those who may see it). */
  'comment:new': (payload: { ideaId: string; commentId: string }) => void;
  'challenge:phase': (payload: { challengeId: string; phase: Phase; label: string }) => void;
  /** Something changed in a screening queue the recipient curates (a decision, a new or resubmitted idea). */
  'queue:changed': (payload: { challengeId: string; ideaId: string; byName: string }) => void;
  /** The recipient's own unread notification count. */
  'inbox:count': (payload: { unread: number }) => void;
};

/** Browser → server. `ack`, when given, answers true (joined) or false (not joined, for any reason). */
export type ClientToServerEvents = {
  join: (room: unknown, ack?: (joined: boolean) => void) => void;
  leave: (room: unknown) => void;
};
