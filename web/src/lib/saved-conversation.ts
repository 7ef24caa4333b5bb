// The chat survives a reload of its tab: the turns are kept in sessionStorage
// (this tab only, gone when it closes, never sent anywhere), under the person
// they belong to, and forgotten at sign-out. A turn whose reset was still
// running keeps its task id, so the page can follow that reset again
// (GET /api/chat/reset/{id}). The phone link of a code prompt is a credential
// for that reset: it is not kept (neither the prompt nor the progress line
// that carries it); following the reset again brings it back.
import type { ChatReply } from './chat-sections';

export interface SavedTurn {
  id: number;
  message: string;
  reply: ChatReply;
  state: 'streaming' | 'done' | 'error';
  error?: string;
  /** The reset this turn follows (the stream's X-Rekey-Task-Id). */
  taskId?: string;
}

const KEY = 'rekey.chat';
const MAX_TURNS = 50;
const PHONE_LINK = /\/otp\/[A-Za-z0-9_-]/;

const withoutPhoneLinks = (reply: ChatReply): ChatReply => ({
  ...reply,
  otp: undefined,
  progress: reply.progress.filter((line) => !PHONE_LINK.test(line.text)),
});

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled: the chat simply does not outlive the page
  }
}

export function loadConversation(owner: string): SavedTurn[] {
  const raw = storage()?.getItem(KEY);
  if (!raw || !owner) return [];
  try {
    const saved = JSON.parse(raw) as { owner?: unknown; turns?: unknown };
    if (saved.owner !== owner || !Array.isArray(saved.turns)) return [];
    return saved.turns.filter(isTurn);
  } catch {
    return [];
  }
}

export function saveConversation(owner: string, turns: readonly SavedTurn[]): void {
  if (!owner) return;
  const kept = turns.slice(-MAX_TURNS).map((turn) => ({ ...turn, reply: withoutPhoneLinks(turn.reply) }));
  try {
    storage()?.setItem(KEY, JSON.stringify({ owner, turns: kept }));
  } catch {
    // Quota or privacy mode: the live page still has everything.
  }
}

export function forgetConversation(): void {
  storage()?.removeItem(KEY);
}

function isTurn(value: unknown): value is SavedTurn {
  const t = value as Partial<SavedTurn> | null;
  return (
    !!t &&
    typeof t.id === 'number' &&
    typeof t.message === 'string' &&
    (t.state === 'streaming' || t.state === 'done' || t.state === 'error') &&
    (t.taskId === undefined || typeof t.taskId === 'string') &&
    !!t.reply &&
    Array.isArray(t.reply.progress) &&
    Array.isArray(t.reply.gmail) &&
    Array.isArray(t.reply.captcha) &&
    Array.isArray(t.reply.password) &&
    Array.isArray(t.reply.result)
  );
}
