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
}

interface SavedBrowserState {
  storageState: string;
  url: string;
}

export function createBrowserActivities(deps: BrowserActivityDeps) {
  const { db, pool, navigator, vault, secrets, screenshots, services } = deps;
  const maxPasswordAttempts = deps.maxPasswordAttempts ?? 4;

  async function loadTask(taskId: string) {
    const task = await db.task.findUnique({ where: { id: taskId } });
    if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} does not exist`, 'TaskMissing');
    if (!task.vaultEntryId) throw ApplicationFailure.nonRetryable('task has no vault entry yet', 'TaskMissing');
    return { ...task, vaultEntryId: task.vaultEntryId };
  }

  /** This task's browser session: the live one, or one restored from the saved state (another worker's). */
  async function sessionFor(taskId: string): Promise<{ session: BrowserSession; restored: boolean }> {
    const live = pool.get(taskId);
    if (live) return { session: live, restored: false };
    const saved = await secrets.latest(taskId, 'storage_state');
    if (!saved) throw ApplicationFailure.nonRetryable('no browser state to resume from', 'SessionLost');
    const { storageState, url } = JSON.parse(saved) as SavedBrowserState;
    const session = await pool.open(taskId, { storageState });
    if (url && url !== 'about:blank') await session.page.goto(url, { waitUntil: 'domcontentloaded' });
    return { session, restored: true };
  }

  /** Saves where we are (encrypted) and a screenshot (taken after submits: never a typed secret on screen). */
  async function checkpoint(taskId: string, session: BrowserSession, step: string): Promise<string | undefined> {
    const state: SavedBrowserState = { storageState: await session.exportStorageState(), url: session.page.url() };
    await secrets.replace(taskId, 'storage_state', JSON.stringify(state));
    try {
      return await screenshots.save(taskId, step, await session.screenshot(), 'image/jpeg');
    } catch (err) {
      deps.logger.warn({ taskId, step, err: redactedSummary(err) }, 'screenshot failed');
      return undefined;
    }
  }

  /** Keeps the activity alive in Temporal's eyes while a page is slow; stops when cancelled. */
  async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
    const ctx = Context.current();
    const timer = setInterval(() => ctx.heartbeat(), 2_000);
    try {
      ctx.heartbeat();
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  async function hasTotp(userId: string, entryId: string): Promise<boolean> {
    return (await vault.totpSecret(userId, entryId)) !== null;
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

    /** navigate: a fresh context at the page that asks for the account email. */
    async openResetPage({ taskId }: { taskId: string }): Promise<BrowserStepResult> {
      const task = await loadTask(taskId);
      const service = services.forTask(task);
      await assertAllowedTarget(task.serviceUrl, { allowPrivate: deps.allowPrivateTargets }).catch(() => {
        throw ApplicationFailure.create({ type: 'TargetNotAllowed', message: describeResetFailure('TargetNotAllowed'), nonRetryable: true });
      });
      return withHeartbeat(async () => {
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
      return withHeartbeat(async () => {
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
      return withHeartbeat(async () => {
        const { session } = await sessionFor(taskId);
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
          if (!/ERR_BLOCKED_BY_CLIENT/.test((err as Error).message)) throw err;
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
      return withHeartbeat(async () => {
        const { session } = await sessionFor(taskId);
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
      return withHeartbeat(async () => {
        const { session } = await sessionFor(taskId);
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
      return withHeartbeat(async () => {
        const { session } = await sessionFor(taskId);
        const page = session.page;
        let pending = await vault.pendingForTask(task.userId, task.vaultEntryId, taskId);
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
          state = await navigator.submitNewPassword(page, pending.password);
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
      return withHeartbeat(async () => {
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
