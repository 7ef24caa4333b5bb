// A sandbox `deliver` that keeps every message, parsed, so a test can read it
// as a person would and wait for the nth one to an address.
import { simpleParser, type ParsedMail } from 'mailparser';

export interface RecordedMail {
  to: string;
  raw: string;
  parsed: ParsedMail;
}

export function createMailRecorder() {
  const messages: RecordedMail[] = [];
  const waiters: (() => void)[] = [];
  const deliver = async (to: string, raw: string) => {
    messages.push({ to, raw, parsed: await simpleParser(raw) });
    for (const wake of waiters.splice(0)) wake();
  };
  /** Waits for the `nth` (1-based) message to `to`; the bound is for a loaded machine, not a timing goal. */
  const waitFor = async (to: string, nth = 1, timeoutMs = 15_000): Promise<RecordedMail> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.filter((m) => m.to === to)[nth - 1];
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no email #${nth} for ${to} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  const count = (to: string) => messages.filter((m) => m.to === to).length;
  return { deliver, messages, waitFor, count };
}

export type MailRecorder = ReturnType<typeof createMailRecorder>;
