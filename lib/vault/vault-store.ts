// The person's vault: entries with an encrypted password history. A reset adds
// a `pending` version before it submits anything to the site; only a site's
// acceptance (or a sign-in with it) promotes it to `current`, and the old
// `current` becomes `previous`. Nothing is ever deleted by a reset, so a crash
// at any point leaves a password that works in the vault.
import type { Db } from '../db/index.js';
import type { Keyring } from '../crypto.js';
import { decryptString, encrypt } from '../crypto.js';
import { AppError, notFound } from '../errors.js';
import { terminalStatuses } from '../../workflows/reset-password.messages.js';

export type PasswordState = 'pending' | 'current' | 'previous' | 'rejected';

export interface NewEntry {
  url: string;
  username: string;
  email?: string | null;
  password?: string | null;
  totpSecret?: string | null;
  serviceId?: string | null;
  label?: string | null;
}

const passwordAad = (entryId: string) => `vault:password:${entryId}`;
const totpAad = (entryId: string) => `vault:totp:${entryId}`;

export function createVaultStore(deps: { db: Db; keyring: Keyring }) {
  const { db, keyring } = deps;
  const seal = (userId: string, value: string, aad: string) => encrypt(keyring.vault(userId), value, aad);
  const open = (userId: string, sealed: Uint8Array, aad: string) => decryptString(keyring.vault(userId), sealed, aad);

  /** Of these task ids, the ones whose reset still runs (and so still decides its pending password). */
  async function runningTasks(taskIds: (string | null)[]): Promise<Set<string>> {
    const ids = [...new Set(taskIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Set();
    const rows = await db.task.findMany({ where: { id: { in: ids }, status: { notIn: [...terminalStatuses] } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /** The newest pending version that no running reset will settle (its reset ended, or it has none). */
  async function unsettledPendingVersion(entryId: string) {
    const versions = await db.passwordVersion.findMany({ where: { entryId, state: 'pending' }, orderBy: { createdAt: 'desc' } });
    const running = await runningTasks(versions.map((v) => v.taskId));
    return versions.find((v) => !(v.taskId && running.has(v.taskId))) ?? null;
  }

  async function ownedEntry(userId: string, entryId: string) {
    const entry = await db.vaultEntry.findFirst({ where: { id: entryId, userId } });
    if (!entry) throw notFound('Vault entry');
    return entry;
  }

  const store = {
    async createEntry(userId: string, input: NewEntry) {
      return db.$transaction(async (tx) => {
        const entry = await tx.vaultEntry.create({
          data: {
            userId,
            url: input.url,
            username: input.username,
            email: input.email ?? null,
            label: input.label ?? null,
            serviceId: input.serviceId ?? null,
          },
        });
        const updates: { totpSecretEnc?: Uint8Array<ArrayBuffer> } = {};
        if (input.totpSecret) updates.totpSecretEnc = seal(userId, input.totpSecret, totpAad(entry.id));
        if (Object.keys(updates).length) await tx.vaultEntry.update({ where: { id: entry.id }, data: updates });
        if (input.password) {
          await tx.passwordVersion.create({
            data: { entryId: entry.id, state: 'current', secretEnc: seal(userId, input.password, passwordAad(entry.id)), promotedAt: new Date() },
          });
        }
        return { ...entry, totpSecretEnc: updates.totpSecretEnc ?? null };
      });
    },

    ownedEntry,

    async setTotpSecret(userId: string, entryId: string, secret: string | null) {
      await ownedEntry(userId, entryId);
      await db.vaultEntry.update({
        where: { id: entryId },
        data: { totpSecretEnc: secret ? seal(userId, secret, totpAad(entryId)) : null },
      });
    },

    async totpSecret(userId: string, entryId: string): Promise<string | null> {
      const entry = await ownedEntry(userId, entryId);
      return entry.totpSecretEnc ? open(userId, entry.totpSecretEnc, totpAad(entryId)) : null;
    },

    /** The password a person should use now: `current`, else the newest `pending`. */
    async currentPassword(userId: string, entryId: string): Promise<{ versionId: string; state: PasswordState; password: string } | null> {
      await ownedEntry(userId, entryId);
      const version =
        (await db.passwordVersion.findFirst({ where: { entryId, state: 'current' }, orderBy: { createdAt: 'desc' } })) ??
        (await db.passwordVersion.findFirst({ where: { entryId, state: 'pending' }, orderBy: { createdAt: 'desc' } }));
      if (!version) return null;
      return { versionId: version.id, state: version.state as PasswordState, password: open(userId, version.secretEnc, passwordAad(entryId)) };
    },

    /**
     * A pending password that no running reset will settle: its reset ended without
     * a confirmation from the site (or the worker was lost). It may be the password
     * that works now, so the person sees it first and decides.
     */
    async unsettledPending(userId: string, entryId: string): Promise<{ versionId: string; taskId: string | null; password: string } | null> {
      await ownedEntry(userId, entryId);
      const version = await unsettledPendingVersion(entryId);
      return version && { versionId: version.id, taskId: version.taskId, password: open(userId, version.secretEnc, passwordAad(entryId)) };
    },

    /** What the person should use now: an unsettled pending password (to try first), else the current one. */
    async passwordToUse(userId: string, entryId: string): Promise<{ state: 'pending' | 'current'; password: string } | null> {
      const unsettled = await store.unsettledPending(userId, entryId);
      if (unsettled) return { state: 'pending', password: unsettled.password };
      const current = await store.password(userId, entryId, 'current');
      return current === null ? null : { state: 'current', password: current };
    },

    /** The person signed in with the unsettled pending password: it becomes current. */
    async confirmPending(userId: string, entryId: string): Promise<void> {
      const unsettled = await store.unsettledPending(userId, entryId);
      if (!unsettled) throw new AppError('conflict', 'This entry has no new password waiting to be confirmed');
      await store.promote(entryId, unsettled.versionId);
      if (unsettled.taskId) await db.task.updateMany({ where: { id: unsettled.taskId, status: 'completed' }, data: { confirmed: true, seq: { increment: 1 } } });
    },

    /** The unsettled pending password does not work: the current one stays, the pending one is set aside (kept, as rejected). */
    async discardPending(userId: string, entryId: string): Promise<void> {
      const unsettled = await store.unsettledPending(userId, entryId);
      if (!unsettled) throw new AppError('conflict', 'This entry has no new password waiting to be confirmed');
      if ((await store.password(userId, entryId, 'current')) === null) {
        throw new AppError('conflict', 'There is no earlier password to go back to');
      }
      await store.markRejected(unsettled.versionId);
    },

    async password(userId: string, entryId: string, state: 'current' | 'previous'): Promise<string | null> {
      await ownedEntry(userId, entryId);
      const version = await db.passwordVersion.findFirst({ where: { entryId, state }, orderBy: { createdAt: 'desc' } });
      return version ? open(userId, version.secretEnc, passwordAad(entryId)) : null;
    },

    /** Replaces the current password by hand (the person changed it elsewhere). */
    async setCurrentPassword(userId: string, entryId: string, password: string) {
      await ownedEntry(userId, entryId);
      await db.$transaction([
        db.passwordVersion.updateMany({ where: { entryId, state: 'current' }, data: { state: 'previous' } }),
        db.passwordVersion.create({ data: { entryId, state: 'current', secretEnc: seal(userId, password, passwordAad(entryId)), promotedAt: new Date() } }),
      ]);
    },

    /** The pending version a task already stored, so a retried step re-submits the same password. */
    async pendingForTask(userId: string, entryId: string, taskId: string) {
      const version = await db.passwordVersion.findFirst({ where: { entryId, taskId, state: 'pending' }, orderBy: { createdAt: 'desc' } });
      if (!version) return null;
      return { versionId: version.id, password: open(userId, version.secretEnc, passwordAad(entryId)) };
    },

    /** Written before the password is submitted to the site. */
    async addPending(userId: string, entryId: string, taskId: string, password: string): Promise<string> {
      await ownedEntry(userId, entryId);
      const version = await db.passwordVersion.create({
        data: { entryId, taskId, state: 'pending', secretEnc: seal(userId, password, passwordAad(entryId)) },
      });
      return version.id;
    },

    async markRejected(versionId: string) {
      await db.passwordVersion.updateMany({ where: { id: versionId, state: 'pending' }, data: { state: 'rejected' } });
    },

    /** pending → current, current → previous, atomically; idempotent. */
    async promote(entryId: string, versionId: string) {
      await db.$transaction(async (tx) => {
        const version = await tx.passwordVersion.findFirst({ where: { id: versionId, entryId } });
        if (!version) throw notFound('Password version');
        if (version.state === 'current') return;
        await tx.passwordVersion.updateMany({ where: { entryId, state: 'current' }, data: { state: 'previous' } });
        await tx.passwordVersion.update({ where: { id: versionId }, data: { state: 'current', promotedAt: new Date() } });
        await tx.vaultEntry.update({ where: { id: entryId }, data: { updatedAt: new Date() } });
      });
    },

    /**
     * The entry's state for listings: `pending` when a finished reset left a new password
     * for the person to confirm (a running reset's pending password is not theirs to judge
     * yet), else `current` or `empty`.
     */
    async entryState(entryId: string): Promise<'pending' | 'current' | 'empty'> {
      return (await store.entryStates([entryId])).get(entryId)!;
    },

    /** `entryState` for a page of entries, in two queries whatever its length. */
    async entryStates(entryIds: readonly string[]): Promise<Map<string, 'pending' | 'current' | 'empty'>> {
      const versions = await db.passwordVersion.findMany({
        where: { entryId: { in: [...entryIds] }, state: { in: ['pending', 'current'] } },
        select: { entryId: true, state: true, taskId: true },
      });
      const running = await runningTasks(versions.filter((v) => v.state === 'pending').map((v) => v.taskId));
      const states = new Map(entryIds.map((id) => [id, 'empty' as 'pending' | 'current' | 'empty']));
      for (const v of versions) {
        if (v.state === 'pending' && !(v.taskId && running.has(v.taskId))) states.set(v.entryId, 'pending');
        else if (v.state === 'current' && states.get(v.entryId) === 'empty') states.set(v.entryId, 'current');
      }
      return states;
    },
  };
  return store;
}

export type VaultStore = ReturnType<typeof createVaultStore>;
