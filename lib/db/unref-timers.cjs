// Preloaded into the Prisma CLI by lib/db/migrate.ts. Prisma 6.19's WASM
// schema engine arms a 10 s timer (its advisory-lock timeout) and never clears
// it, so `migrate deploy` on PostgreSQL lingers 10 s after finishing. An
// unref'd timer still fires while the CLI has work pending; it just no longer
// keeps a finished process alive.
const original = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(fn, ms, ...args) {
  const timer = original(fn, ms, ...args);
  if (typeof ms === 'number' && ms >= 5000 && timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
