import { randomBytes, randomInt } from 'node:crypto';
import type { Hono } from 'hono';
import { encodePng } from './layout.js';
import type { Clock } from './types.js';

/**
 * A reCAPTCHA v2 look-alike served by the site itself: the `.g-recaptcha`
 * div, `api.js`, an anchor iframe titled "reCAPTCHA" with the "I'm not a
 * robot" checkbox, and an image challenge ("Select all images with
 * triangles") whose answer never appears in the DOM — tiles are server-drawn
 * PNGs. Eight wrong answers in ten minutes lock the widget ("automated queries"). A person can solve it; automation cannot, short of reading the
 * answer from the sandbox (`captchaSolution`, for tests that play the person).
 */
export interface Recaptcha {
  siteKey: string;
  mount(app: Hono): void;
  /** Server-side check of a `g-recaptcha-response`; single-use. */
  verify(token: string): boolean;
  latestSolution(): number[] | undefined;
}

type Shape = 'triangle' | 'circle' | 'square' | 'star';
const SHAPES: Shape[] = ['triangle', 'circle', 'square', 'star'];
const PLURAL: Record<Shape, string> = { triangle: 'triangles', circle: 'circles', square: 'squares', star: 'stars' };
const CHALLENGE_TTL_MS = 2 * 60_000;
const TOKEN_TTL_MS = 2 * 60_000;
const MAX_FAILURES = 8;
const FAILURE_WINDOW_MS = 10 * 60_000;

interface Challenge {
  target: Shape;
  tiles: { shape: Shape; hue: number; rotate: number; scale: number; noise: number[] }[];
  createdAt: number;
  solved: boolean;
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(0, items.length)] as T;
}

function newChallenge(now: number): Challenge {
  const target = pick(SHAPES);
  const correct = new Set<number>();
  const count = randomInt(2, 5);
  while (correct.size < count) correct.add(randomInt(0, 9));
  const tiles = Array.from({ length: 9 }, (_, i) => ({
    shape: correct.has(i) ? target : pick(SHAPES.filter((s) => s !== target)),
    hue: randomInt(0, 360),
    rotate: randomInt(0, 360),
    scale: 0.7 + randomInt(0, 50) / 100,
    noise: Array.from({ length: 12 }, () => randomInt(0, 100)),
  }));
  return { target, tiles, createdAt: now, solved: false };
}

const POLYGONS: Record<Exclude<Shape, 'circle'>, [number, number][]> = {
  triangle: [[50, 18], [82, 76], [18, 76]],
  square: [[22, 22], [78, 22], [78, 78], [22, 78]],
  star: [[50, 14], [59, 40], [86, 40], [64, 56], [72, 82], [50, 66], [28, 82], [36, 56], [14, 40], [41, 40]],
};

function insidePolygon(x: number, y: number, points: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i] as [number, number];
    const [xj, yj] = points[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * The tile as a PNG photo-ish raster (never SVG: vector markup would hand the
 * answer to a script). Rotated, scaled, on a noisy background with stripes.
 */
function tilePng(tile: Challenge['tiles'][number]): Buffer {
  const size = 100;
  const angle = (-tile.rotate * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const ink = hsl(tile.hue, 0.6, 0.45);
  const n = tile.noise;
  return encodePng(size, size, (px, py) => {
    // Map the pixel back into the shape's own 100×100 space.
    const dx = (px + 0.5 - 50) / tile.scale;
    const dy = (py + 0.5 - 50) / tile.scale;
    const x = dx * cos - dy * sin + 50;
    const y = dx * sin + dy * cos + 50;
    const hit = tile.shape === 'circle' ? (x - 50) ** 2 + (y - 50) ** 2 <= 900 : insidePolygon(x, y, POLYGONS[tile.shape]);
    const grain = ((px * 73856093) ^ (py * 19349663) ^ ((n[0] ?? 0) * 83492791)) % 23;
    if (hit) return ink.map((v) => Math.max(0, Math.min(255, v + grain - 11))) as [number, number, number];
    const stripe = Math.abs(((px * ((n[1] ?? 0) % 5 + 1) + py * ((n[2] ?? 0) % 7 + 1) + (n[3] ?? 0)) % 37) - 18) < 2;
    const base = hsl((tile.hue + 180) % 360, 0.25, stripe ? 0.7 : 0.88);
    return base.map((v) => Math.max(0, Math.min(255, v + grain - 11))) as [number, number, number];
  });
}

/** A JS string literal safe inside an inline <script>. */
function jsString(value: string): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const FRAME_HEADERS = { 'X-Frame-Options': 'SAMEORIGIN', 'Cache-Control': 'no-store' };

const API_JS = `(function () {
  'use strict';
  var origin = location.origin;
  var widgets = [];
  function callback(name, arg) {
    if (name && typeof window[name] === 'function') { try { window[name](arg); } catch (e) { console.error(e); } }
  }
  function render(el) {
    var wid = widgets.length;
    var key = el.getAttribute('data-sitekey') || '';
    var wrap = document.createElement('div');
    wrap.style.width = '304px'; wrap.style.height = '78px';
    var inner = document.createElement('div');
    var frame = document.createElement('iframe');
    frame.title = 'reCAPTCHA';
    frame.width = '304'; frame.height = '78';
    frame.setAttribute('role', 'presentation');
    frame.name = 'a-' + Math.random().toString(36).slice(2, 12);
    frame.setAttribute('frameborder', '0'); frame.setAttribute('scrolling', 'no');
    frame.src = '/recaptcha/api2/anchor?ar=1&k=' + encodeURIComponent(key) + '&co=' + btoa(origin).replace(/=+$/, '') +
      '&hl=en&v=sbx-2024&size=normal&wid=' + wid + '&cb=' + Math.random().toString(36).slice(2);
    inner.appendChild(frame); wrap.appendChild(inner);
    var ta = document.createElement('textarea');
    ta.id = wid === 0 ? 'g-recaptcha-response' : 'g-recaptcha-response-' + wid;
    ta.name = 'g-recaptcha-response'; ta.className = 'g-recaptcha-response';
    ta.style.cssText = 'width: 250px; height: 40px; border: 1px solid rgb(193, 193, 193); margin: 10px 25px; padding: 0px; resize: none; display: none;';
    wrap.appendChild(ta);
    el.appendChild(wrap);
    widgets.push({ el: el, frame: frame, ta: ta, key: key, popup: null, timer: null });
    return wid;
  }
  function post(w, message) { if (w.frame.contentWindow) w.frame.contentWindow.postMessage(message, origin); }
  function closeChallenge(w) { if (w.popup) { w.popup.remove(); w.popup = null; } }
  function openChallenge(w, wid, cid) {
    closeChallenge(w);
    var rect = w.frame.getBoundingClientRect();
    var popup = document.createElement('div');
    popup.style.cssText = 'visibility: visible; position: absolute; width: 400px; top: ' + (rect.top + window.scrollY - 10) + 'px; left: ' + (rect.left + window.scrollX + 40) + 'px; z-index: 2000000000; background-color: rgb(255, 255, 255); border: 1px solid rgb(204, 204, 204); box-shadow: rgba(0, 0, 0, 0.2) 2px 2px 3px;';
    var frame = document.createElement('iframe');
    frame.title = 'recaptcha challenge expires in two minutes';
    frame.name = 'c-' + Math.random().toString(36).slice(2, 12);
    frame.setAttribute('frameborder', '0'); frame.setAttribute('scrolling', 'no');
    frame.style.cssText = 'width: 400px; height: 580px;';
    frame.src = '/recaptcha/api2/bframe?hl=en&v=sbx-2024&k=' + encodeURIComponent(w.key) + '&c=' + encodeURIComponent(cid) + '&wid=' + wid;
    popup.appendChild(frame);
    document.body.appendChild(popup);
    w.popup = popup;
  }
  window.addEventListener('message', function (ev) {
    if (ev.origin !== origin || !ev.data || ev.data.source !== 'rc') return;
    var w = widgets[ev.data.wid];
    if (!w) return;
    if (ev.data.type === 'challenge') openChallenge(w, ev.data.wid, ev.data.cid);
    if (ev.data.type === 'cancel') { closeChallenge(w); post(w, { source: 'rc', type: 'reset' }); }
    if (ev.data.type === 'solved') {
      w.ta.value = ev.data.token;
      closeChallenge(w);
      post(w, { source: 'rc', type: 'verified' });
      callback(w.el.getAttribute('data-callback'), ev.data.token);
      clearTimeout(w.timer);
      w.timer = setTimeout(function () {
        w.ta.value = '';
        post(w, { source: 'rc', type: 'expired' });
        callback(w.el.getAttribute('data-expired-callback'));
      }, 110000);
    }
  });
  window.grecaptcha = {
    ready: function (fn) { fn(); },
    render: function (el) { return render(typeof el === 'string' ? document.getElementById(el) : el); },
    getResponse: function (wid) { var w = widgets[wid || 0]; return w ? w.ta.value : ''; },
    reset: function (wid) { var w = widgets[wid || 0]; if (w) { w.ta.value = ''; closeChallenge(w); post(w, { source: 'rc', type: 'reset' }); } }
  };
  function boot() { Array.prototype.forEach.call(document.querySelectorAll('.g-recaptcha'), function (el) { if (!el.firstChild) render(el); }); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
`;

const ANCHOR_CSS = `
body{margin:0;font-family:Roboto,helvetica,arial,sans-serif;background:transparent}
.rc-anchor{width:300px;height:74px;border:1px solid #d3d3d3;border-radius:3px;background:#f9f9f9;box-shadow:0 0 4px 1px rgba(0,0,0,.08);display:flex;align-items:center;justify-content:space-between;box-sizing:border-box;padding:0 8px 0 12px}
.rc-anchor-content{display:flex;align-items:center;gap:12px}
.recaptcha-checkbox{width:24px;height:24px;border:2px solid #c1c1c1;border-radius:2px;background:#fff;cursor:pointer;display:inline-block;position:relative;outline:none}
.recaptcha-checkbox:focus{border-color:#4d90fe}
.recaptcha-checkbox-loading{border-radius:50%;border-color:#4d90fe #c1c1c1 #c1c1c1 #c1c1c1;animation:spin 1s linear infinite}
.recaptcha-checkbox-checked{border-color:transparent}
.recaptcha-checkbox-checked::after{content:'';position:absolute;left:7px;top:0;width:8px;height:17px;border:solid #1e8e3e;border-width:0 4px 4px 0;transform:rotate(45deg)}
@keyframes spin{to{transform:rotate(360deg)}}
.rc-anchor-checkbox-label{font-size:14px;color:#000}
.rc-anchor-normal-footer{text-align:center;font-size:10px;color:#555;width:70px}
.rc-anchor-logo-img{width:32px;height:32px;margin:0 auto 2px;background:conic-gradient(#4a90e2 0 33%,#1c3aa9 0 66%,#ababab 0);border-radius:50%}
.rc-anchor-logo-text{font-size:10px}
.rc-anchor-pt a{color:#555;font-size:8px;text-decoration:none}
.rc-anchor-error-msg{font-size:10px;color:#d14836}
`;

function anchorHtml(key: string, wid: string): string {
  return `<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>reCAPTCHA</title><style>${ANCHOR_CSS}</style></head>
<body><div id="rc-anchor-alert" class="rc-anchor-alert"></div>
<div id="rc-anchor-container" class="rc-anchor rc-anchor-normal rc-anchor-light">
<div class="rc-anchor-content">
<span class="recaptcha-checkbox goog-inline-block recaptcha-checkbox-unchecked rc-anchor-checkbox" role="checkbox" aria-checked="false" id="recaptcha-anchor" tabindex="0" dir="ltr" aria-labelledby="recaptcha-anchor-label"><div class="recaptcha-checkbox-border" role="presentation"></div><div class="recaptcha-checkbox-spinner" role="presentation"></div></span>
<label class="rc-anchor-center-item rc-anchor-checkbox-label" aria-hidden="true" role="presentation" id="recaptcha-anchor-label">I'm not a robot</label>
</div>
<div class="rc-anchor-normal-footer"><div class="rc-anchor-logo-portrait" aria-hidden="true" role="presentation"><div class="rc-anchor-logo-img rc-anchor-logo-img-portrait"></div><div class="rc-anchor-logo-text">reCAPTCHA</div></div>
<div class="rc-anchor-pt"><a href="/privacy" target="_blank">Privacy</a><span aria-hidden="true" role="presentation"> - </span><a href="/terms" target="_blank">Terms</a></div></div>
</div>
<script>
(function () {
  var key = ${jsString(key)}, wid = ${Number(wid) || 0};
  var box = document.getElementById('recaptcha-anchor');
  var busy = false;
  function set(state) {
    box.className = 'recaptcha-checkbox goog-inline-block rc-anchor-checkbox recaptcha-checkbox-' + state;
    box.setAttribute('aria-checked', state === 'checked' ? 'true' : 'false');
  }
  function start() {
    if (busy || box.getAttribute('aria-checked') === 'true') return;
    busy = true; set('loading');
    fetch('/recaptcha/api2/reload?k=' + encodeURIComponent(key), { method: 'POST' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { busy = false; set('unchecked'); document.getElementById('rc-anchor-alert').textContent = data.error; return; }
        parent.postMessage({ source: 'rc', type: 'challenge', cid: data.cid, wid: wid }, location.origin);
      })
      .catch(function () { busy = false; set('unchecked'); });
  }
  box.addEventListener('click', start);
  box.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); start(); } });
  window.addEventListener('message', function (ev) {
    if (ev.origin !== location.origin || !ev.data || ev.data.source !== 'rc') return;
    if (ev.data.type === 'verified') { busy = false; set('checked'); }
    if (ev.data.type === 'reset' || ev.data.type === 'expired') {
      busy = false; set('unchecked');
      if (ev.data.type === 'expired') document.getElementById('rc-anchor-alert').textContent = 'Verification expired. Check the checkbox again.';
    }
  });
})();
</script></body></html>`;
}

const BFRAME_CSS = `
body{margin:0;font-family:Roboto,helvetica,arial,sans-serif}
.rc-imageselect-desc-wrapper{background:#1a73e8;color:#fff;padding:18px 16px;margin:7px}
.rc-imageselect-desc{font-size:16px}.rc-imageselect-desc strong{display:block;font-size:26px;margin:2px 0}
.rc-imageselect-table-33{border-collapse:separate;border-spacing:4px;margin:0 3px}
.rc-imageselect-tile{width:124px;height:124px;padding:0;cursor:pointer;position:relative;outline:none}
.rc-imageselect-tile img{width:124px;height:124px;display:block;transition:transform .1s}
.rc-imageselect-tileselected img{transform:scale(.8)}
.rc-imageselect-tileselected::before{content:'✓';position:absolute;left:2px;top:2px;background:#1a73e8;color:#fff;border-radius:50%;width:22px;height:22px;text-align:center;line-height:22px;z-index:1}
.rc-footer{display:flex;justify-content:space-between;align-items:center;border-top:1px solid #dfdfdf;padding:10px 8px;margin-top:6px}
.rc-button{background:none;border:0;color:#555;font-size:20px;cursor:pointer}
.rc-button-default{background:#1a73e8;color:#fff;border:0;border-radius:2px;padding:10px 22px;font-size:14px;font-weight:500;text-transform:uppercase;cursor:pointer}
.rc-imageselect-incorrect-response{color:#d14836;font-size:13px;padding:4px 10px;min-height:18px}
`;

function bframeHtml(cid: string, wid: string, challenge: Challenge): string {
  const cells = challenge.tiles
    .map(
      (_, i) =>
        `<td role="button" tabindex="0" class="rc-imageselect-tile" aria-label="Image challenge" data-index="${i}"><div class="rc-image-tile-target"><div class="rc-image-tile-wrapper"><img class="rc-image-tile-33" src="/recaptcha/api2/payload?c=${encodeURIComponent(cid)}&amp;i=${i}" alt=""></div></div></td>`,
    )
    .reduce<string[]>((rows, cell, i) => {
      if (i % 3 === 0) rows.push('');
      rows[rows.length - 1] += cell;
      return rows;
    }, [])
    .map((row) => `<tr>${row}</tr>`)
    .join('');
  return `<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><title>reCAPTCHA</title><style>${BFRAME_CSS}</style></head>
<body><div id="rc-imageselect" aria-modal="true" role="dialog">
<div class="rc-imageselect-payload">
<div class="rc-imageselect-desc-wrapper"><div class="rc-imageselect-desc">Select all images with <strong>${PLURAL[challenge.target]}</strong>Click verify once there are none left.</div></div>
<div class="rc-imageselect-challenge"><div id="rc-imageselect-target" class="rc-imageselect-target" dir="ltr" role="presentation" aria-hidden="true"><table class="rc-imageselect-table-33"><tbody>${cells}</tbody></table></div></div>
<div class="rc-imageselect-incorrect-response" role="alert" aria-live="polite"></div>
</div>
<div class="rc-footer"><div class="rc-controls">
<button class="rc-button goog-inline-block rc-button-reload" title="Get a new challenge" id="recaptcha-reload-button" type="button">⟳</button>
<button class="rc-button goog-inline-block rc-button-audio" title="Get an audio challenge" id="recaptcha-audio-button" type="button" disabled>🎧</button>
</div><div class="verify-button-holder"><button class="rc-button-default goog-inline-block" title="" id="recaptcha-verify-button" type="button">Verify</button></div></div>
</div>
<script>
(function () {
  var cid = ${jsString(cid)}, wid = ${Number(wid) || 0};
  var selected = {};
  Array.prototype.forEach.call(document.querySelectorAll('.rc-imageselect-tile'), function (td) {
    function toggle() {
      var i = td.getAttribute('data-index');
      selected[i] = !selected[i];
      td.classList.toggle('rc-imageselect-tileselected', selected[i]);
      td.setAttribute('aria-pressed', selected[i] ? 'true' : 'false');
    }
    td.addEventListener('click', toggle);
    td.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(); } });
  });
  function next(newCid, message) {
    location.replace(location.pathname + location.search.replace(/([?&]c=)[^&]*/, '$1' + encodeURIComponent(newCid)) + (message ? '&m=1' : ''));
  }
  if (/[?&]m=1/.test(location.search)) document.querySelector('.rc-imageselect-incorrect-response').textContent = 'Please try again.';
  document.getElementById('recaptcha-reload-button').addEventListener('click', function () {
    fetch('/recaptcha/api2/reload', { method: 'POST' }).then(function (r) { return r.json(); }).then(function (d) { next(d.cid, false); });
  });
  document.getElementById('recaptcha-verify-button').addEventListener('click', function () {
    var response = Object.keys(selected).filter(function (k) { return selected[k]; }).map(Number);
    fetch('/recaptcha/api2/userverify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ c: cid, response: response }) })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.success) parent.postMessage({ source: 'rc', type: 'solved', token: d.token, wid: wid }, location.origin);
        else if (d.cid) next(d.cid, true);
        else {
          document.querySelector('.rc-imageselect-incorrect-response').textContent = d.error || 'Try again later';
          setTimeout(function () { parent.postMessage({ source: 'rc', type: 'cancel', wid: wid }, location.origin); }, 2000);
        }
      });
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') parent.postMessage({ source: 'rc', type: 'cancel', wid: wid }, location.origin); });
})();
</script></body></html>`;
}

export function createRecaptcha(clock: Clock, siteKey: string): Recaptcha {
  const challenges = new Map<string, Challenge>();
  const tokens = new Map<string, number>();
  let failures: number[] = [];
  let latest: string | undefined;
  const locked = () => {
    const now = clock.now();
    failures = failures.filter((at) => now - at < FAILURE_WINDOW_MS);
    return failures.length >= MAX_FAILURES;
  };

  const issue = () => {
    const now = clock.now();
    for (const [id, c] of challenges) if (now - c.createdAt > CHALLENGE_TTL_MS) challenges.delete(id);
    const cid = randomBytes(18).toString('base64url');
    challenges.set(cid, newChallenge(now));
    latest = cid;
    return cid;
  };
  const live = (cid: string | undefined) => {
    const challenge = cid ? challenges.get(cid) : undefined;
    return challenge && !challenge.solved && clock.now() - challenge.createdAt < CHALLENGE_TTL_MS ? challenge : undefined;
  };

  return {
    siteKey,
    mount(app) {
      app.get('/recaptcha/api.js', (c) => c.body(API_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
      app.get('/recaptcha/api2/anchor', (c) => c.html(anchorHtml(c.req.query('k') ?? '', c.req.query('wid') ?? '0'), 200, FRAME_HEADERS));
      app.post('/recaptcha/api2/reload', (c) =>
        locked()
          ? c.json({ error: 'Your computer or network may be sending automated queries. To protect our users, we can\'t process your request right now.' }, 429)
          : c.json({ cid: issue() }, 200, { 'Cache-Control': 'no-store' }),
      );
      app.get('/recaptcha/api2/bframe', (c) => {
        const cid = c.req.query('c') ?? '';
        const challenge = live(cid);
        if (!challenge) return c.html('<!DOCTYPE html><p>This challenge has expired. Close it and check the box again.</p>', 410, FRAME_HEADERS);
        return c.html(bframeHtml(cid, c.req.query('wid') ?? '0', challenge), 200, FRAME_HEADERS);
      });
      app.get('/recaptcha/api2/payload', (c) => {
        const tile = challenges.get(c.req.query('c') ?? '')?.tiles[Number(c.req.query('i'))];
        if (!tile) return c.body('gone', 410);
        return c.body(new Uint8Array(tilePng(tile)), 200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
      });
      app.post('/recaptcha/api2/userverify', async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as { c?: string; response?: unknown };
        const challenge = live(body.c);
        const picked = new Set(Array.isArray(body.response) ? body.response.filter((n): n is number => typeof n === 'number') : []);
        const correct = challenge ? challenge.tiles.flatMap((t, i) => (t.shape === challenge.target ? [i] : [])) : [];
        if (challenge && body.c) challenges.delete(body.c);
        if (challenge && picked.size === correct.length && correct.every((i) => picked.has(i))) {
          const token = `03AFcWeA${randomBytes(48).toString('base64url')}`;
          tokens.set(token, clock.now() + TOKEN_TTL_MS);
          return c.json({ success: true, token });
        }
        failures.push(clock.now());
        if (locked()) return c.json({ success: false, error: 'Try again later' }, 429);
        return c.json({ success: false, cid: issue() });
      });
    },
    verify(token) {
      const expiresAt = tokens.get(token);
      if (expiresAt === undefined) return false;
      tokens.delete(token);
      return clock.now() < expiresAt;
    },
    latestSolution() {
      const challenge = live(latest);
      return challenge ? challenge.tiles.flatMap((t, i) => (t.shape === challenge.target ? [i] : [])) : undefined;
    },
  };
}
