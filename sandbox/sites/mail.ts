import { randomBytes } from 'node:crypto';
import { escapeHtml } from './layout.js';
import type { Brand } from './types.js';

// ---------------------------------------------------------------------------
// MIME
// ---------------------------------------------------------------------------

export interface MimeMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  date?: Date;
  messageId?: string;
  encoding?: 'quoted-printable' | 'base64';
  headers?: Record<string, string>;
}

/** RFC 5322 date with a numeric zone, e.g. `Sat, 22 Nov 2025 11:26:00 +0000`. */
export function rfc2822Date(date: Date): string {
  return date.toUTCString().replace(/ GMT$/, ' +0000');
}

/** RFC 2047 encoded-word when the value is not plain ASCII. */
export function encodeHeaderWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** `"Display Name" <addr>` with the display name encoded when needed. */
export function formatAddress(name: string, address: string): string {
  const encoded = encodeHeaderWord(name);
  return encoded === name ? `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>` : `${encoded} <${address}>`;
}

/** Quoted-printable (RFC 2045) over UTF-8, CRLF line ends, soft breaks at 76. */
export function encodeQuotedPrintable(input: string): string {
  const lines = input.replace(/\r\n|\r/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    const tokens: string[] = [];
    bytes.forEach((byte, index) => {
      const last = index === bytes.length - 1;
      const printable = byte >= 33 && byte <= 126 && byte !== 61;
      const whitespace = byte === 32 || byte === 9;
      if (printable || (whitespace && !last)) tokens.push(String.fromCharCode(byte));
      else tokens.push(`=${byte.toString(16).toUpperCase().padStart(2, '0')}`);
    });
    let current = '';
    for (const token of tokens) {
      if (current.length + token.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += token;
    }
    out.push(current);
  }
  return out.join('\r\n');
}

function encodeBase64(input: string): string {
  return (Buffer.from(input, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** A multipart/alternative message (text + HTML), CRLF line ends, ready to APPEND. */
export function buildMimeMessage(message: MimeMessage): string {
  const encoding = message.encoding ?? 'quoted-printable';
  const encode = encoding === 'base64' ? encodeBase64 : encodeQuotedPrintable;
  const boundary = `----=_Part_${randomBytes(12).toString('hex')}`;
  const domain = /@([^>\s]+)>?$/.exec(message.from)?.[1] ?? 'sandbox.localhost';
  const headers: Record<string, string> = {
    From: message.from,
    To: message.to,
    Subject: encodeHeaderWord(message.subject),
    Date: rfc2822Date(message.date ?? new Date()),
    'Message-ID': message.messageId ?? `<${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${domain}>`,
    'MIME-Version': '1.0',
    ...message.headers,
    'Content-Type': `multipart/alternative; boundary="${boundary}"`,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  lines.push(
    '',
    'This is a multi-part message in MIME format.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${encoding}`,
    '',
    encode(message.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    `Content-Transfer-Encoding: ${encoding}`,
    '',
    encode(message.html),
    `--${boundary}--`,
    '',
  );
  return lines.join('\r\n');
}

// ---------------------------------------------------------------------------
// Transactional email template
// ---------------------------------------------------------------------------

export interface EmailContent {
  brand: Brand;
  origin: string;
  language: string;
  /** Hidden preview line shown by mail clients. */
  preheader: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string; copyHint?: string };
  code?: string;
  closing: string[];
  footer: { privacy: string; unsubscribe: string; help: string; address: string; reason: string };
}

/** Renders the text and HTML bodies of a reset email in the house look of `brand`. */
export function renderEmail(content: EmailContent): { text: string; html: string } {
  const { brand, origin } = content;
  const privacyUrl = `${origin}/privacy`;
  const unsubscribeUrl = `${origin}/email/unsubscribe?list=product-news`;
  const helpUrl = `${origin}/help`;

  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.code ? [`    ${content.code}`, ''] : []),
    ...(content.action ? [`${content.action.label}:`, content.action.url, ''] : []),
    ...content.closing,
    '',
    '--',
    `${brand.name} · ${content.footer.address}`,
    content.footer.reason,
    `${content.footer.help}: ${helpUrl}`,
    `${content.footer.privacy}: ${privacyUrl}`,
    `${content.footer.unsubscribe}: ${unsubscribeUrl}`,
  ].join('\n');

  const button = content.action
    ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:28px 0">
  <tr><td align="center" bgcolor="${brand.color}" style="border-radius:6px">
    <a href="${escapeHtml(content.action.url)}" target="_blank" style="display:inline-block;padding:14px 28px;font-family:${brand.font};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(content.action.label)}</a>
  </td></tr>
</table>
${content.action.copyHint ? `<p style="margin:0 0 8px;font-size:13px;color:#6b7280">${escapeHtml(content.action.copyHint)}</p>
<p style="margin:0 0 16px;font-size:13px;word-break:break-all;color:${brand.color}">${escapeHtml(content.action.url)}</p>` : ''}`
    : '';
  const code = content.code
    ? `<p style="margin:24px 0;font-family:Menlo,Consolas,monospace;font-size:32px;letter-spacing:8px;font-weight:bold;color:#111827">${escapeHtml(content.code)}</p>`
    : '';

  const html = `<!DOCTYPE html>
<html lang="${content.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(brand.name)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f7">
<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(content.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f7">
<tr><td align="center" style="padding:32px 12px">
  <table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-radius:8px">
    <tr><td style="padding:24px 32px;border-bottom:3px solid ${brand.color}">
      <img src="${origin}/static/email-logo.png" width="140" height="36" alt="${escapeHtml(brand.name)}" style="display:block;border:0">
    </td></tr>
    <tr><td style="padding:32px;font-family:${brand.font};font-size:15px;line-height:1.6;color:#1f2937">
      <p style="margin:0 0 16px">${escapeHtml(content.greeting)}</p>
      ${content.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n      ')}
      ${code}
      ${button}
      ${content.closing.map((p) => `<p style="margin:0">${escapeHtml(p)}</p>`).join('\n      ')}
    </td></tr>
  </table>
  <table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" style="max-width:560px">
    <tr><td style="padding:20px 32px;font-family:Arial,sans-serif;font-size:12px;line-height:1.5;color:#9ca3af;text-align:center">
      <p style="margin:0 0 6px">${escapeHtml(content.footer.reason)}</p>
      <p style="margin:0 0 6px">${escapeHtml(brand.name)} · ${escapeHtml(content.footer.address)}</p>
      <p style="margin:0"><a href="${helpUrl}" style="color:#6b7280">${escapeHtml(content.footer.help)}</a> ·
      <a href="${privacyUrl}" style="color:#6b7280">${escapeHtml(content.footer.privacy)}</a> ·
      <a href="${unsubscribeUrl}" style="color:#6b7280">${escapeHtml(content.footer.unsubscribe)}</a></p>
    </td></tr>
  </table>
</td></tr>
</table>
</body>
</html>`;
  return { text, html };
}

/** English footer strings; sites in other languages pass their own. */
export const englishFooter = (brand: Brand): EmailContent['footer'] => ({
  privacy: 'Privacy policy',
  unsubscribe: 'Unsubscribe from product news',
  help: 'Help centre',
  address: '1 Sandbox Way, Localhost',
  reason: `You are receiving this email because of a security action on your ${brand.name} account.`,
});
