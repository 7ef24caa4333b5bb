// The chat stream's sections (reset-api.txt "Chat-based reset"), folded into
// one reply per message the person sent. Each SSE message is a section: its
// first line the `<!-- section:NAME -->` marker, the rest markdown lines.

export const sectionNames = ['header', 'progress', 'gmail', 'captcha', 'password', 'result'] as const;
export type SectionName = (typeof sectionNames)[number];

export interface Section {
  name: SectionName;
  lines: string[];
}

const MARKER = /^<!--\s*section:([a-z_]+)\s*-->$/;

/** A section from one SSE message's data, or null when it is not one. */
export function parseSection(data: string): Section | null {
  const [first, ...lines] = data.split('\n');
  const m = MARKER.exec((first ?? '').trim());
  if (!m) return null;
  const name = m[1] as SectionName;
  if (!sectionNames.includes(name)) return null;
  return { name, lines };
}

export type StepMark = 'done' | 'failed' | 'skipped' | 'info';

export interface ProgressLine {
  text: string;
  mark: StepMark;
  /** "1.2 s", "2 min 5 s" when the line reports one. */
  duration?: string;
}

export interface ChatReply {
  header?: string;
  progress: ProgressLine[];
  gmail: string[];
  captcha: string[][];
  password: string[];
  result: string[];
  /** The phone link of the latest code prompt, and the progress index of that prompt. */
  otp?: { url: string; at: number };
}

export const emptyReply = (): ChatReply => ({ progress: [], gmail: [], captcha: [], password: [], result: [] });

const DURATION = /\s\((\d+(?:\.\d+)? s|\d+ min \d+ s)\)$/;
const OTP_LINK = /\]\(((?:https?:\/\/[^)\s]+)?\/otp\/[A-Za-z0-9_-]+)\)/;

export function progressLine(raw: string): ProgressLine {
  let text = raw.trim();
  let mark: StepMark = 'info';
  if (text.startsWith('✓')) mark = 'done';
  else if (text.startsWith('✗')) mark = 'failed';
  else if (text.startsWith('–')) mark = 'skipped';
  if (mark !== 'info') text = text.slice(1).trim();
  const d = DURATION.exec(text);
  if (d) text = text.slice(0, d.index);
  return d ? { text, mark, duration: d[1] } : { text, mark };
}

/** The reply with one more section folded in (a new object: React state). */
export function applySection(reply: ChatReply, section: Section): ChatReply {
  const next: ChatReply = { ...reply };
  switch (section.name) {
    case 'header':
      next.header = section.lines.map((l) => l.replace(/^#+\s*/, '')).join(' ').trim();
      break;
    case 'progress': {
      const lines = section.lines.filter((l) => !/^#{1,6}\s*Agent\s*$/.test(l.trim()) && l.trim() !== '');
      next.progress = [...reply.progress];
      for (const l of lines) {
        const link = OTP_LINK.exec(l);
        if (link) next.otp = { url: link[1]!, at: next.progress.length };
        next.progress.push(progressLine(l));
      }
      break;
    }
    case 'gmail':
      next.gmail = [...reply.gmail, ...section.lines.filter((l) => l.trim())];
      break;
    case 'captcha':
      next.captcha = [...reply.captcha, section.lines];
      break;
    case 'password':
      next.password = [...reply.password, ...section.lines];
      break;
    case 'result':
      next.result = [...reply.result, ...section.lines];
      break;
  }
  return next;
}

/** `warning`: the site took the new password but did not confirm it; the person settles it in the vault. */
export type Outcome = 'success' | 'warning' | 'failure' | 'cancelled' | 'answer';

export function outcomeOf(reply: ChatReply): Outcome | null {
  const first = reply.result[0];
  if (first === undefined) return null;
  if (/^password reset complete/i.test(first)) return 'success';
  if (/did not confirm the change/i.test(first)) return 'warning';
  if (/^password reset failed/i.test(first)) return 'failure';
  if (/^reset cancelled/i.test(first)) return 'cancelled';
  return 'answer';
}

/** A reset that ended without success can run again as a new reset (its Retry button). */
export const canRetry = (outcome: Outcome | null): boolean => outcome === 'failure' || outcome === 'cancelled';

/** The job a failed reset's advice names (`(job \`id\`)`), for a reply that has no task id of its own. */
export function jobIdOf(lines: readonly string[]): string | undefined {
  return /\(job `([A-Za-z0-9_-]{6,100})`\)/.exec(lines.join(' '))?.[1];
}

/** The vault entry id the password section names (`Entry: \`id\``). */
export function entryIdOf(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = /`([A-Za-z0-9_-]{6,100})`/.exec(l);
    if (m) return m[1];
  }
  return undefined;
}

/** Whether the code prompt is the latest thing the reset said (the person still has to act). */
export function otpPending(reply: ChatReply, finished: boolean): boolean {
  return !!reply.otp && !finished && reply.result.length === 0 && reply.progress.length - 1 === reply.otp.at;
}
