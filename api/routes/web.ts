// The web UI: the files Vite built into web/dist (scripts/build-web.ts), and
// index.html for every other GET outside /api, /otp, /codec, /docs and
// /health, so the UI's own routes (/chat, /tasks/…) load it. Mounted last:
// it answers only what no other route did. Hashed assets are cached for a
// year; index.html is revalidated on every load so a new build shows at once.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';
import { projectRoot } from '../../lib/config.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that belong to the API and its own pages: never the UI's index.html. */
const NOT_THE_UI = /^\/(api|otp|codec|docs|health)(\/|$)/;

async function fileIn(dir: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(dir, `.${path.posix.normalize(decoded)}`);
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

async function sendFile(c: Context<AppEnv>, file: string, cacheControl: string) {
  const body = await readFile(file);
  c.header('Cache-Control', cacheControl);
  return c.body(new Uint8Array(body), 200, { 'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
}

/** Where scripts/build-web.ts puts the build. */
export const webDistDir = path.join(projectRoot, 'web', 'dist');

export function createWebRoutes(opts: { distDir?: string } = {}) {
  const dir = path.resolve(opts.distDir ?? webDistDir);
  return createApi().get('*', async (c, next) => {
    const urlPath = c.req.path;
    if (NOT_THE_UI.test(urlPath)) return next();
    if (urlPath !== '/' && urlPath !== '/index.html') {
      const file = await fileIn(dir, urlPath);
      if (file) {
        const hashed = urlPath.startsWith('/assets/');
        return sendFile(c, file, hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      }
      // A missing file (it has an extension) is a 404, not the app.
      if (path.posix.extname(urlPath)) return next();
    }
    const index = path.join(dir, 'index.html');
    try {
      return await sendFile(c, index, 'no-cache');
    } catch {
      return c.text('The web UI is not built: run `npx tsx scripts/build-web.ts` (npm start does it for you).', 503);
    }
  });
}

export const webRoutes = createWebRoutes();
