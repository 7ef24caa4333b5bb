// Markdown sections for the chat stream (reset-api.txt "Chat-based reset").
// Each section chunk is one SSE message whose first `data:` line is the
// `<!-- section:NAME -->` marker and whose next lines are its markdown.
// Anything that did not come from Rekey itself (what the person typed, vault
// labels, site names guessed from a URL) goes through `escapeMarkdown`, so it
// can never become HTML, a link or formatting.

export const sectionNames = ['header', 'progress', 'gmail', 'captcha', 'password', 'result'] as const;
export type SectionName = (typeof sectionNames)[number];

export interface ChatSection {
  name: SectionName;
  /** Markdown lines; each is one `data:` line on the wire. */
  lines: string[];
}

/** The SSE `data` of a section: the marker, then its lines. */
export function renderSection(section: ChatSection): string {
  return [`<!-- section:${section.name} -->`, ...section.lines.map(oneLine)].join('\n');
}

/** Lines are single lines: a newline inside one would start a new `data:` line the UI reads as markdown. */
function oneLine(line: string): string {
  return line.replace(/[\r\n]+/g, ' ');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Text shown literally. HTML-significant characters become entities (so no tag
 * or autolink can form); markdown's inline and block punctuation is
 * backslash-escaped (CommonMark allows escaping any ASCII punctuation), and so
 * are the slashes of `scheme://` (no bare-URL autolinks). A leading `-`, `+`
 * or `1.` cannot start a list either. Control characters and newlines become
 * spaces; the result is capped at `max` characters.
 */
export function escapeMarkdown(text: string, max = 200): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .trim()
    .slice(0, max);
  return flat
    .replace(/[&<>"]/g, (ch) => HTML_ENTITIES[ch]!)
    .replace(/[\\`*_{}[\]()#+!|~]/g, (ch) => `\\${ch}`)
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/^(\d+)\.(?=\s|$)/, '$1\\.')
    .replace(/^-(?=\s|$)/, '\\-');
}

/** Inline code for ids and URLs Rekey made itself (no backticks can occur in them). */
export function code(text: string): string {
  return `\`${text.replace(/`/g, '')}\``;
}

/** "1.2 s", "45 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
