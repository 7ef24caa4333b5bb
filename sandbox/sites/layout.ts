import { deflateSync } from 'node:zlib';
import { html, raw } from 'hono/html';
import type { Brand } from './types.js';

export { html, raw };

/** What `html\`\`` returns; nest freely, interpolations are escaped. */
export type Html = ReturnType<typeof html>;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A complete HTML document. Each site brings its own CSS, header and footer. */
export function documentPage(options: {
  lang: string;
  title: string;
  css: string;
  body: Html;
  head?: Html;
  bodyAttrs?: string;
}): Html {
  return html`<!DOCTYPE html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<link rel="icon" href="/favicon.ico">
<style>${raw(options.css)}</style>
${options.head ?? ''}
</head>
<body ${raw(options.bodyAttrs ?? '')}>
${options.body}
</body>
</html>`;
}

/** `jane@example.com` → `j•••@example.com`, as "we sent a link to …" pages show it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••${local.length > 4 ? local.slice(-1) : ''}@${domain}`;
}

/** `+15555550167` → `•••• ••• 01 67`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `•••• ••• ${digits.slice(-4, -2)} ${digits.slice(-2)}`;
}

export function logoSvg(brand: Brand): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40" role="img" aria-label="${escapeHtml(brand.name)}">
<rect x="0" y="2" width="36" height="36" rx="9" fill="${brand.color}"/>
<text x="18" y="26" text-anchor="middle" font-family="Arial, sans-serif" font-size="15" font-weight="700" fill="#fff">${escapeHtml(brand.initials)}</text>
<text x="44" y="26" font-family="${escapeHtml(brand.font)}" font-size="16" font-weight="700" fill="${brand.ink}">${escapeHtml(brand.name)}</text>
</svg>`;
}

// ---------------------------------------------------------------------------
// A tiny PNG encoder: email clients block SVG, so the email logo is a PNG.
// ---------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** Encodes an RGB image; `pixel(x, y)` gives each pixel's colour. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(pixel(x, y), 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 140×36 banner: a brand-coloured badge and bars standing in for the wordmark. */
export function logoPng(brand: Brand): Buffer {
  const badge = hexToRgb(brand.color);
  const ink = hexToRgb(brand.ink);
  const white = [255, 255, 255] as const;
  return encodePng(140, 36, (x, y) => (x < 36 ? badge : x > 44 && y > 12 && y < 24 && (x - 44) % 14 < 11 ? ink : white));
}
