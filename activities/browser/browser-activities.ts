// Browser activities: each drives the reset's browser context one step on
// (through the generic navigator) and reports what the page shows next. The
// context lives on this worker (its own task queue); after each step its
// storage state and URL are saved encrypted, so another worker can resume.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { TOTP, Secret } from 'otpauth';
import type { Db } from '../../lib/db/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TaskSecrets } from '../../lib/tasks/task-secrets.js';
import type { ScreenshotStore } from '../../lib/tasks/screenshot-store.js';
import type { VaultStore } from '../../lib/vault/vault-store.js';
import { hostBelongsTo } from '../../lib/domains.js';
import { assertAllowedTarget, type PrivateTargets } from '../../lib/net/target-guard.js';
import { describeResetFailure, type ResetFailureType } from '../../lib/errors.js';
import type { BrowserPool, BrowserSession } from './browser-pool.js';
import type { CodeSource, Navigator, PageState } from './navigator/navigator.js';
import { choosePasswordForPage } from './choose-password.js';
import { redactedSummary } from '../secret-safe.js';
import { createSessionLedger, type SessionLedger } from './session-ledger.js';
import type { ServiceDirectory } from '../../lib/service-directory.js';

export type BrowserNext =
  | 'email_form'
  | 'email_sent'
  | 'code_prompt'
  | 'otp_prompt'
  | 'new_password_form'
  | 'password_changed'
  | 'captcha'
  | 'link_expired'
  | 'error';

export interface BrowserStepResult {
  next: BrowserNext;
  otpSource?: CodeSource;
  /** The vault holds a TOTP secret for this account. */
  totpAvailable?: boolean;
  captchaVendor?: string;
  failureType?: ResetFailureType;
  screenshotId?: string;
}

export interface SetPasswordResult {
  /** accepted: the site confirmed; unverified: submitted, no clear answer; rejected: every attempt refused; restart: the change never happened. */
  outcome: 'accepted' | 'unverified' | 'rejected' | 'restart';
  versionId?: string;
  failureType?: ResetFailureType;
  screenshotId?: string;
}

export interface VerifyLoginResult {
  outcome: 'verified' | 'old_password_works' | 'failed' | 'unsupported';
  detail?: string;
  screenshotId?: string;
}

export interface BrowserActivityDeps {
  db: Db;
  pool: BrowserPool;
  navigator: Navigator;
  vault: VaultStore;
  secrets: TaskSecrets;
  screenshots: ScreenshotStore;
  services: ServiceDirectory;
  /** This worker's own task queue: browser steps of a claimed reset run here. */
  workerQueue: string;
  allowPrivateTargets: PrivateTargets;
  logger: Logger;
  /** How many generated passwords may be tried after clear policy rejections. */
  maxPasswordAttempts?: number;
  /** Shared with the session reaper (worker/create-workers.ts); one of its own otherwise. */
  ledger?: SessionLedger;
}

interface SavedBrowserState {
  storageState: string;
  url: string;
  /** Secret id of the reset link opened in this context: its page may not be reached again by URL. */
  openedLink?: string;
}

export function createBrowserActivities(deps: BrowserActivityDeps) {
  const { db, pool, navigator, vault, secrets, screenshots, services } = deps;
  const maxPasswordAttempts = deps.maxPasswordAttempts ?? 4;
  const ledger = deps.ledger ?? createSessionLedger();

  async function loadTask(taskId: string) {
    const task = await db.task.findUnique({ where: { id: taskId } });
    if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} does not exist`, 'TaskMissing');
    if (!task.vaultEntryId) throw ApplicationFailure.nonRetryable('task has no vault entry yet', 'TaskMissing');
    return { ...task, vaultEntryId: task.vaultEntryId };
  }

  /**
   * This task's browser session: the live one if it is current, or one restored from
   * the saved state (another worker's, or a later one than this worker's context).
   * `pageLost`: the saved page is the reset link's own (its URL carries the token), so
   * it is not reloaded: that would open the link a second time, and single-use links
   * die on open. The caller asks for a new email instead.
   */
  async function sessionFor(taskId: string): Promise<{ session: BrowserSession; restored: boolean; pageLost: boolean }> {
    const saved = await secrets.latestEntry(taskId, 'storage_state');
    const live = pool.get(taskId);
    if (live) {
      const mine = ledger.notes(live).checkpointId;
      if (!saved || mine === undefined || mine === saved.id) return { session: live, restored: false, pageLost: false };
      await pool.close(taskId); // stale: the reset went on elsewhere since this context's last step
    }
    if (!saved) throw ApplicationFailure.nonRetryable('no browser state to resume from', 'SessionLost');
    const { storageState, url, openedLink } = JSON.parse(saved.value) as SavedBrowserState;
    const session = await pool.open(taskId, { storageState });
    Object.assign(ledger.notes(session), { checkpointId: saved.id, openedLink });
    if (!url || url === 'about:blank') return { session, restored: true, pageLost: false };
    if (openedLink && (await carriesResetLink(taskId, openedLink, url))) return { session, restored: true, pageLost: true };
    await session.page.goto(url, { waitUntil: 'domcontentloaded' });
    return { session, restored: true, pageLost: false };
  }

  /** Whether loading `url` would open the reset link again: its own address, or one carrying its token. */
  async function carriesResetLink(taskId: string, linkSecretId: string, url: string): Promise<boolean> {
    const link = await secrets.get(taskId, linkSecretId);
    if (!link) return true; // cannot tell: never risk a second open
    return urlCarriesLink(url, link.value);
  }

  /** Saves where we are (encrypted) and a screenshot (taken after submits: never a typed secret on screen). */
  async function checkpoint(taskId: string, session: BrowserSession, step: string): Promise<string | undefined> {
    const notes = ledger.notes(session);
    const state: SavedBrowserState = { storageState: await session.exportStorageState(), url: session.page.url(), openedLink: notes.openedLink };
    notes.checkpointId = await secrets.replace(taskId, 'storage_state', JSON.stringify(state));
    try {
      return await screenshots.save(taskId, step, await session.screenshot(), 'image/jpeg');
    } catch (err) {
      deps.logger.warn({ taskId, step, err: redactedSummary(err) }, 'screenshot failed');
      return undefined;
    }
  }

  /** Keeps the activity alive in Temporal's eyes while a page is slow; stops when cancelled. Marks the context in use. */
  async function withHeartbeat<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const ctx = Context.current();
    const timer = setInterval(() => ctx.heartbeat(), 2_000);
    try {
      ctx.heartbeat();
      return await ledger.use(taskId, fn);
    } finally {
      clearInterval(timer);
    }
  }

  async function hasTotp(userId: string, entryId: string): Promise<boolean> {
    return (await vault.totpSecret(userId, entryId)) !== null;
  }

  /**
   * follow_link again after the link was opened (a retry, or a move to another worker):
   * the page it led to is used if this context still shows it; otherwise a new email
   * is asked for (`link_expired`), never a second open.
   */
  async function readOpenedLinkPage(
    task: { userId: string; vaultEntryId: string; id: string },
    session: BrowserSession,
    secretId: string,
    pageLost: boolean,
    domains: readonly string[],
  ): Promise<BrowserStepResult> {
    const page = session.page;
    let host = '';
    try {
      host = new URL(page.url()).hostname;
    } catch {
      /* about:blank, chrome-error: not the link's page */
    }
    if (pageLost || ledger.notes(session).openedLink !== secretId || !hostBelongsTo(host, domains)) {
      deps.logger.info({ taskId: task.id }, 'reset link already opened and its page is gone; asking for a new email');
      return { next: 'link_expired' };
    }
    const state = await navigator.detectPageState(page);
    if (!afterLinkStates.has(state.kind)) return { next: 'link_expired' };
    const screenshotId = await checkpoint(task.id, session, 'follow_link');
    return toStepResult(state, task.userId, task.vaultEntryId, screenshotId);
  }

  async function toStepResult(state: PageState, userId: string, entryId: string, screenshotId?: string): Promise<BrowserStepResult> {
    switch (state.kind) {
      case 'email_form':
      case 'email_sent':
      case 'new_password_form':
      case 'password_changed':
        return { next: state.kind, screenshotId };
      case 'code_prompt':
        return { next: 'otp_prompt', otpSource: state.source, totpAvailable: await hasTotp(userId, entryId), screenshotId };
      case 'captcha':
        return { next: 'captcha', captchaVendor: state.vendor, screenshotId };
      case 'error':
        if (state.reason === 'link_expired') return { next: 'link_expired', screenshotId };
        if (state.reason === 'account_not_found') return { next: 'error', failureType: 'AccountNotFound', screenshotId };
        if (state.reason === 'wrong_code') return { next: 'otp_prompt', otpSource: 'unknown', totpAvailable: await hasTotp(userId, entryId), screenshotId };
        return { next: 'error', failureType: 'SiteChanged', screenshotId };
      default:
        return { next: 'error', failureType: 'SiteChanged', screenshotId };
    }
  }

  return {
    /** Runs on the shared queue: whichever worker takes it becomes the reset's browser worker. */
    async claimBrowserWorker({ taskId }: { taskId: string }): Promise<{ queue: string }> {
      deps.logger.info({ taskId, queue: deps.workerQueue }, 'claimed reset for this browser worker');
      return { queue: deps.workerQueue };
    },

    /**
     * Runs on this process's own "alive" queue, which full browser slots do not block:
     * a browser step that waited its whole schedule-to-start on a busy worker asks
     * here before the reset is moved to another one.
     */
    async browserWorkerAlive(): Promise<{ sessions: number }> {
      return { sessions: pool.stats().sessions };
    },

    /** navigate: a fresh context at the page that asks for the account email. */
    async openResetPage({ taskId }: { taskId: string }): Promise<BrowserStepResult> {
      const task = await loadTask(taskId);
      const service = services.forTask(task);
      await assertAllowedTarget(task.serviceUrl, { allowPrivate: deps.allowPrivateTargets }).catch(() => {
        throw ApplicationFailure.create({ type: 'TargetNotAllowed', message: describeResetFailure('TargetNotAllowed'), nonRetryable: true });
      });
      return withHeartbeat(taskId, async () => {
        await pool.close(taskId);
        const session = await pool.open(taskId, {});
        const state = await navigator.openResetEntry(session.page, { serviceUrl: task.serviceUrl, resetUrl: service.resetUrl, loginUrl: service.loginUrl, accountEmail: task.email });
        const screenshotId = await checkpoint(taskId, session, 'navigate');
        if (state.kind === 'email_form' || state.kind === 'captcha') return toStepResult(state, task.userId, task.vaultEntryId, screenshotId);
        return { next: 'error', failureType: 'ResetEntryNotFound', screenshotId };
      });
    },

    /** enter_email: the account email into the reset form. */
    async submitAccountEmail({ taskId }: { taskId: string }): Promise<BrowserStepResult> {
      const task = await loadTask(taskId);
      const service = services.forTask(task);
      return withHeartbeat(taskId, async () => {
        const { session } = await sessionFor(taskId);
        let state = await navigator.detectPageState(session.page);
        if (state.kind !== 'email_form') {
          state = await navigator.openResetEntry(session.page, { serviceUrl: task.serviceUrl, resetUrl: service.resetUrl, loginUrl: service.loginUrl, accountEmail: task.email });
        }
        if (state.kind === 'email_form') state = await navigator.submitEmail(session.page, task.email);
        const screenshotId = await checkpoint(taskId, session, 'enter_email');
        switch (state.kind) {
          case 'code_prompt':
            return { next: 'code_prompt', otpSource: state.source, screenshotId };
          case 'captcha':
          case 'error':
            return toStepResult(state, task.userId, task.vaultEntryId, screenshotId);
          case 'email_form':
            return { next: 'error', failureType: 'SiteChanged', screenshotId }; // the form did not accept the email
          default:
            // Most sites answer with a neutral "if an account exists…" page: the mailbox decides.
            return { next: 'email_sent', screenshotId };
        }
      });
    },

    /** follow_link: opens the reset link exactly once, in this browser, restricted to the service's hosts. */
    async openResetLink({ taskId, secretId }: { taskId: string; secretId: string }): Promise<BrowserStepResult> {
      const task = await loadTask(taskId);
      const service = services.forTask(task);
      const secret = await secrets.get(taskId, secretId);
      if (!secret || secret.kind !== 'reset_link') throw ApplicationFailure.nonRetryable('reset link missing', 'ResetLinkNotFound');
      // Opened at most once: the marker is written before the link is, so no retry and no
      // other worker ever loads it again (single-use links die on open).
      const openedBefore = await secrets.has(taskId, 'link_opened', secretId);
      return withHeartbeat(taskId, async () => {
        const { session, pageLost } = await sessionFor(taskId);
        if (openedBefore) return readOpenedLinkPage(task, session, secretId, pageLost, service.domains);
        await secrets.put(taskId, 'link_opened', secretId);
        ledger.notes(session).openedLink = secretId;
        // Every hop of the link, redirects included, must stay on the service's hosts. A link
        // that starts elsewhere (a click tracker) was refused with its email: never opened,
        // not even to see where it leads. (Older histories still pass `checkRedirect`: ignored.)
        const page = session.page;
        const refusedPage = page
          .waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() && f.url().startsWith('chrome-error:'), timeout: 5_000 })
          .catch(() => undefined);
        session.restrictTo(service.domains);
        let refused = false;
        try {
          await page.goto(secret.value, { waitUntil: 'domcontentloaded' });
        } catch (err) {
          if (!/ERR_BLOCKED_BY_CLIENT/.test((err as Error).message)) {
            // The link's page did not load (too slow, a network error): the link may be spent
            // all the same, and is never opened again. A new email gets a fresh one.
            deps.logger.warn({ taskId, err: redactedSummary(err) }, 'reset link page did not load; asking for a new email');
            await page.goto('about:blank').catch(() => undefined); // stops the load still under way
            return { next: 'link_expired' };
          }
          refused = true;
          await refusedPage; // Chromium's error page commits just after goto rejects
        } finally {
          session.restrictTo(null);
        }
        const finalHost = refused ? '' : new URL(page.url()).hostname;
        if (refused || !hostBelongsTo(finalHost, service.domains)) {
          deps.logger.warn({ taskId, blocked: session.blockedRequests.slice(-3) }, 'reset link led outside the service');
          await page.goto('about:blank').catch(() => undefined);
          return { next: 'error', failureType: 'LinkHostMismatch' };
        }
        const state = await navigator.detectPageState(session.page);
        const screenshotId = await checkpoint(taskId, session, 'follow_link');
        return toStepResult(state, task.userId, task.vaultEntryId, screenshotId);
      });
    },

    /** follow_link for sites that email a code: types it into the page that asked. */
    async enterEmailCode({ taskId, secretId }: { taskId: string; secretId: string }): Promise<BrowserStepResult> {
      const task = await loadTask(taskId);
      const secret = await secrets.get(taskId, secretId);
      if (!secret || secret.kind !== 'email_code') throw ApplicationFailure.nonRetryable('emailed code missing', 'ResetLinkNotFound');
      return withHeartbeat(taskId, async () => {
        const { session, pageLost } = await sessionFor(taskId);
        if (pageLost) return { next: 'link_expired' };
        const state = await navigator.enterCode(session.page, secret.value);
        const screenshotId = await checkpoint(taskId, session, 'follow_link');
        return toStepResult(state, task.userId, task.vaultEntryId, screenshotId);
      });
    },

    /** A one-time code: generated from the vault's TOTP secret, or the one the person typed (by reference). */
    async enterOtp({ taskId, useTotp, otpRef }: { taskId: string; useTotp?: boolean; otpRef?: string }): Promise<BrowserStepResult> {
      const task = await loadTask(taskId);
      let code: string;
      if (useTotp) {
        const secret = await vault.totpSecret(task.userId, task.vaultEntryId);
        if (!secret) throw ApplicationFailure.nonRetryable('no TOTP secret in the vault', 'UnsupportedChallenge');
        code = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '').toUpperCase()) }).generate();
      } else {
        const secret = otpRef ? await secrets.get(taskId, otpRef) : null;
        if (!secret || secret.kind !== 'otp') throw ApplicationFailure.nonRetryable('submitted code missing', 'OtpRejected');
        code = secret.value;
      }
      return withHeartbeat(taskId, async () => {
        const { session, pageLost } = await sessionFor(taskId);
        // The code prompt was the reset link's page: only a new link gets back to it.
        if (pageLost) return { next: 'link_expired' };
        // A retry after the code went in finds no code field and only reads the page.
        const state = await navigator.enterCode(session.page, code);
        const screenshotId = await checkpoint(taskId, session, 'otp');
        // Only once the checkpoint holds the page past the code is the code no longer needed:
        // a retry before that (the checkpoint failed, the worker died) types it again.
        if (otpRef) await secrets.remove(taskId, otpRef);
        return toStepResult(state, task.userId, task.vaultEntryId, screenshotId);
      });
    },

    /**
     * set_password. The password is stored `pending` before it is submitted.
     * A retry re-submits that same password; a new one is generated only after
     * the site clearly rejected the previous one.
     */
    async setNewPassword({ taskId }: { taskId: string }): Promise<SetPasswordResult> {
      const task = await loadTask(taskId);
      const service = services.forTask(task);
      let pending = await vault.pendingForTask(task.userId, task.vaultEntryId, taskId);
      if (pending && (await secrets.has(taskId, 'password_submitted', pending.versionId))) {
        // Submitted before a crash (or before an answer that never came): the site may have
        // taken it, and the link is likely used up. Whatever the page would say now, only a
        // sign-in with `pending` can tell; never a second submit (its "link expired" would
        // read as a rejection of a password the site accepted).
        return { outcome: 'unverified', versionId: pending.versionId };
      }
      return withHeartbeat(taskId, async () => {
        const { session, pageLost } = await sessionFor(taskId);
        if (pageLost) {
          // The form was the reset link's own page, in a context that is gone: reloading it
          // would open the link again. Nothing was submitted, so a new email is safe.
          return { outcome: 'restart', failureType: 'ResetLinkNotFound' };
        }
        const page = session.page;
        let state = await navigator.detectPageState(page);
        if (pending && state.kind !== 'new_password_form') {
          // We submitted before a crash and the form is gone: a sign-in decides what happened.
          return { outcome: 'unverified', versionId: pending.versionId, screenshotId: await checkpoint(taskId, session, 'set_password') };
        }
        if (state.kind !== 'new_password_form') {
          return { outcome: 'rejected', failureType: 'SiteChanged', screenshotId: await checkpoint(taskId, session, 'set_password') };
        }
        const refusals: { errorText: string; password: string }[] = [];
        for (let attempt = 1; attempt <= maxPasswordAttempts; attempt++) {
          if (!pending) {
            const hints = await navigator.readPasswordHints(page);
            let password: string;
            try {
              password = choosePasswordForPage({ hints, refusals, serviceRules: service.passwordRules });
            } catch (err) {
              // PasswordPolicyUnsatisfiable: the page's rules contradict each other.
              deps.logger.warn({ taskId, reason: (err as Error).message }, 'no password satisfies the site policy');
              return { outcome: 'rejected', failureType: 'PasswordRejected', screenshotId: await checkpoint(taskId, session, 'set_password') };
            }
            const versionId = await vault.addPending(task.userId, task.vaultEntryId, taskId, password);
            pending = { versionId, password };
          }
          // Marked once the fields are filled, just before the click: a retry must know the site may
          // have it. A fill that fails before that (a read-only field) proves nothing was sent.
          const submitting = pending;
          state = await navigator.submitNewPassword(page, submitting.password, async () => {
            await secrets.put(taskId, 'password_submitted', submitting.versionId);
          });
          if (state.kind === 'password_changed') {
            await vault.promote(task.vaultEntryId, pending.versionId);
            return { outcome: 'accepted', versionId: pending.versionId, screenshotId: await checkpoint(taskId, session, 'set_password') };
          }
          if (state.kind === 'error' && state.reason === 'password_policy') {
            // Proven rejected: the site named a rule. Only now may another password be tried.
            await vault.markRejected(pending.versionId);
            refusals.push({ errorText: state.message, password: pending.password });
            pending = null;
            if ((await navigator.detectPageState(page)).kind === 'new_password_form') continue;
            return { outcome: 'rejected', failureType: 'PasswordRejected', screenshotId: await checkpoint(taskId, session, 'set_password') };
          }
          if (state.kind === 'error' && state.reason === 'link_expired') {
            // The answer to this password's only submit: the site refused the form, so it never took it.
            await vault.markRejected(pending.versionId);
            return { outcome: 'restart', failureType: 'ResetLinkNotFound', screenshotId: await checkpoint(taskId, session, 'set_password') };
          }
          return { outcome: 'unverified', versionId: pending.versionId, screenshotId: await checkpoint(taskId, session, 'set_password') };
        }
        return { outcome: 'rejected', failureType: 'PasswordRejected', screenshotId: await checkpoint(taskId, session, 'set_password') };
      });
    },

    /**
     * verify_login: signs in with the new password in a clean context. Works →
     * promote it. Refused → if the old password still works, the change never
     * happened (start over); otherwise both are kept and the person is told.
     */
    async verifyLogin({ taskId }: { taskId: string }): Promise<VerifyLoginResult> {
      const task = await loadTask(taskId);
      const service = services.forTask(task);
      const entry = await vault.ownedEntry(task.userId, task.vaultEntryId);
      const pending = await vault.pendingForTask(task.userId, task.vaultEntryId, taskId);
      const candidate = pending ?? (await vault.currentPassword(task.userId, task.vaultEntryId));
      if (!candidate) return { outcome: 'failed', detail: 'No password to verify' };
      return withHeartbeat(taskId, async () => {
        const probeId = `${taskId}:verify`;
        const session = await pool.open(probeId, {});
        try {
          const signIn = (password: string) =>
            navigator.signIn(session.page, { serviceUrl: task.serviceUrl, loginUrl: service.loginUrl, username: entry.username, password });
          const state = await signIn(candidate.password);
          const screenshotId = await screenshots.save(taskId, 'verify_login', await session.screenshot(), 'image/jpeg').catch(() => undefined);
          if (state.kind === 'signed_in' || state.kind === 'code_prompt') {
            // A 2FA prompt after the password is the site accepting the password.
            if (pending) await vault.promote(task.vaultEntryId, pending.versionId);
            return { outcome: 'verified', screenshotId };
          }
          if (state.kind === 'error' && state.reason === 'wrong_password' && pending) {
            const old = await vault.password(task.userId, task.vaultEntryId, 'current');
            if (old) {
              await session.context.clearCookies();
              const oldState = await signIn(old);
              if (oldState.kind === 'signed_in' || oldState.kind === 'code_prompt') {
                await vault.markRejected(pending.versionId);
                return { outcome: 'old_password_works', screenshotId };
              }
            }
            return { outcome: 'failed', detail: 'Neither the new nor the old password signs in', screenshotId };
          }
          if (state.kind === 'captcha') return { outcome: 'unsupported', detail: 'The sign-in page asks for a CAPTCHA', screenshotId };
          return { outcome: 'unsupported', detail: 'Could not find how to sign in', screenshotId };
        } finally {
          await pool.close(probeId);
        }
      });
    },

    async closeBrowserSession({ taskId }: { taskId: string }): Promise<void> {
      await pool.close(taskId);
    },
  };
}

export type BrowserActivities = ReturnType<typeof createBrowserActivities>;

/** What a reset link can lead to; anything else (its request still loading, an error page) is not its page. */
const afterLinkStates = new Set<PageState['kind']>(['new_password_form', 'code_prompt', 'captcha', 'error', 'password_changed']);

/**
 * Whether loading `url` would open `link` again: the link's own page (same origin and
 * path), or a URL carrying one of its token-like parts (a query value or path segment
 * of 10+ characters). Errs on "yes": a wrong yes costs a new email, a wrong no a
 * second open of a single-use link.
 */
export function urlCarriesLink(url: string, link: string): boolean {
  let target: URL;
  let source: URL;
  try {
    target = new URL(url);
    source = new URL(link);
  } catch {
    return true;
  }
  if (target.origin === source.origin && target.pathname === source.pathname) return true;
  const parts = [...source.searchParams.values(), ...source.pathname.split('/').map((p) => safeDecode(p))].filter((p) => p.length >= 10);
  const haystack = safeDecode(target.href);
  return parts.some((part) => haystack.includes(part) || target.href.includes(encodeURIComponent(part)));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
