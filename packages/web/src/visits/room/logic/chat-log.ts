import type { TChatMessage } from '@careline/contracts';

/** The contract's limit on one chat message (ZVisitClientMessage 'chat'). */
export const CHAT_MAX = 2_000;
/** Older messages drop off the screen beyond this (the full chat is on the Encounter as Communications). */
export const CHAT_KEEP = 500;

/**
 * Merges messages into the log: no duplicates (the server replays the chat on admit and after a
 * reconnect), ordered by time then id, at most CHAT_KEEP kept.
 */
export function mergeChat(log: readonly TChatMessage[], incoming: readonly TChatMessage[]): readonly TChatMessage[] {
  if (incoming.length === 0) return log;
  const byId = new Map(log.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  const merged = [...byId.values()].sort((a, b) => (a.sentAt === b.sentAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.sentAt < b.sentAt ? -1 : 1));
  return merged.length > CHAT_KEEP ? merged.slice(merged.length - CHAT_KEEP) : merged;
}

export type ChatDraftCheck = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'empty' | 'too-long' };

/** What the chat box may send: trimmed, not empty, within the contract's limit. */
export function checkChatDraft(draft: string): ChatDraftCheck {
  const text = draft.trim();
  if (text.length === 0) return { ok: false, reason: 'empty' };
  if (text.length > CHAT_MAX) return { ok: false, reason: 'too-long' };
  return { ok: true, text };
}

/**
 * The in-visit chat as a small manager: sends through the given callback (the signaling client)
 * and answers why a draft was not sent. Received messages go through the room reducer (mergeChat).
 */
export class ChatLog {
  constructor(private readonly send: (text: string) => boolean) {}

  submit(draft: string): 'sent' | 'empty' | 'too-long' | 'offline' {
    const check = checkChatDraft(draft);
    if (!check.ok) return check.reason;
    return this.send(check.text) ? 'sent' : 'offline';
  }
}
