// Password-manager CSV exports → vault entries (POST /api/passwords bodies).
// The format is told by the header row:
//   Chrome      name,url,username,password,note
//   Bitwarden   folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp
//   1Password   Title,Website,Username,Password,OTPAuth,…
import { parseCsvTable } from './csv.js';

export type ImportFormat = 'chrome' | 'bitwarden' | '1password';

export interface ImportEntry {
  url: string;
  username: string;
  password: string;
  totpSecret?: string;
  label?: string;
}

export interface ImportResult {
  format: ImportFormat | null;
  entries: ImportEntry[];
  /** Rows left out, numbered from 1 after the header, with why. */
  skipped: { row: number; reason: string }[];
}

const formats: { format: ImportFormat; required: string[] }[] = [
  { format: 'bitwarden', required: ['type', 'name', 'login_uri', 'login_username', 'login_password'] },
  { format: '1password', required: ['Title', 'Website', 'Username', 'Password'] },
  { format: 'chrome', required: ['name', 'url', 'username', 'password'] },
];

export const formatNames: Record<ImportFormat, string> = { chrome: 'Chrome', bitwarden: 'Bitwarden', '1password': '1Password' };

export function detectFormat(header: readonly string[]): ImportFormat | null {
  const have = new Set(header);
  return formats.find((f) => f.required.every((name) => have.has(name)))?.format ?? null;
}

/** An http(s) URL for the site, or null. A bare domain gets https://. */
export function siteUrl(raw: string): string | null {
  // Bitwarden puts several URIs in one field, comma- or newline-separated: the first is the site.
  const first = raw.split(/[\n,]/)[0]?.trim() ?? '';
  if (!first) return null;
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(first) ? first : `https://${first}`;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname || url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

export function importCsv(text: string): ImportResult {
  const { header, rows } = parseCsvTable(text);
  const format = detectFormat(header);
  if (!format) return { format: null, entries: [], skipped: [] };
  const entries: ImportEntry[] = [];
  const skipped: ImportResult['skipped'] = [];
  rows.forEach((r, i) => {
    const row = i + 1;
    let fields: { url: string; username: string; password: string; totp?: string; label?: string };
    if (format === 'bitwarden') {
      if ((r.type ?? '').trim() !== 'login') return skipped.push({ row, reason: `not a login (${r.type || 'no type'})` });
      fields = { url: r.login_uri ?? '', username: r.login_username ?? '', password: r.login_password ?? '', totp: r.login_totp, label: r.name };
    } else if (format === '1password') {
      fields = { url: r.Website ?? '', username: r.Username ?? '', password: r.Password ?? '', totp: r.OTPAuth, label: r.Title };
    } else {
      fields = { url: r.url ?? '', username: r.username ?? '', password: r.password ?? '', label: r.name };
    }
    const url = siteUrl(fields.url);
    if (!url) return skipped.push({ row, reason: fields.url.trim() ? 'the website is not an http(s) address' : 'no website' });
    const username = fields.username.trim();
    if (!username) return skipped.push({ row, reason: 'no username' });
    if (!fields.password) return skipped.push({ row, reason: 'no password' });
    const entry: ImportEntry = { url, username: username.slice(0, 320), password: fields.password.slice(0, 1024) };
    const totp = fields.totp?.trim();
    if (totp) entry.totpSecret = totp;
    const label = fields.label?.trim();
    if (label) entry.label = label.slice(0, 100);
    entries.push(entry);
  });
  return { format, entries, skipped };
}
