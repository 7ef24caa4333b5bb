// Secrets one activity hands to another (the reset link, an emailed code, a
// code the person typed, the browser's storage state): encrypted rows, bound
// to their task and kind, referenced by id so they never enter Temporal.
import type { Db } from '../db/index.js';
import type { Keyring } from '../crypto.js';
import { decryptString, encrypt } from '../crypto.js';

// `link_opened` (the reset link's secret id, written before it is opened) and
// `password_submitted` (the password version's id, written before the submit) are
// markers rather than secrets: facts a retry on any worker must know, and that die
// with the task's other rows.
export type TaskSecretKind = 'reset_link' | 'email_code' | 'otp' | 'storage_state' | 'link_opened' | 'password_submitted';

const aad = (taskId: string, kind: TaskSecretKind) => `task-secret:${taskId}:${kind}`;

export function createTaskSecrets(deps: { db: Db; keyring: Keyring }) {
  const { db, keyring } = deps;
  const key = () => keyring.purpose('task-secret');
  return {
    async put(taskId: string, kind: TaskSecretKind, value: string): Promise<string> {
      const row = await db.taskSecret.create({ data: { taskId, kind, valueEnc: encrypt(key(), value, aad(taskId, kind)) } });
      return row.id;
    },
    /** One row per task for kinds that are replaced, like the storage state. */
    async replace(taskId: string, kind: TaskSecretKind, value: string): Promise<string> {
      const valueEnc = encrypt(key(), value, aad(taskId, kind));
      return db.$transaction(async (tx) => {
        await tx.taskSecret.deleteMany({ where: { taskId, kind } });
        return (await tx.taskSecret.create({ data: { taskId, kind, valueEnc } })).id;
      });
    },
    async get(taskId: string, id: string): Promise<{ kind: TaskSecretKind; value: string } | null> {
      const row = await db.taskSecret.findFirst({ where: { id, taskId } });
      if (!row) return null;
      const kind = row.kind as TaskSecretKind;
      return { kind, value: decryptString(key(), row.valueEnc, aad(taskId, kind)) };
    },
    async latest(taskId: string, kind: TaskSecretKind): Promise<string | null> {
      const row = await db.taskSecret.findFirst({ where: { taskId, kind }, orderBy: { createdAt: 'desc' } });
      return row ? decryptString(key(), row.valueEnc, aad(taskId, kind)) : null;
    },
    /** The newest row of a kind with its id: which saved state a live browser context matches. */
    async latestEntry(taskId: string, kind: TaskSecretKind): Promise<{ id: string; value: string } | null> {
      const row = await db.taskSecret.findFirst({ where: { taskId, kind }, orderBy: { createdAt: 'desc' } });
      return row ? { id: row.id, value: decryptString(key(), row.valueEnc, aad(taskId, kind)) } : null;
    },
    async latestId(taskId: string, kind: TaskSecretKind): Promise<string | null> {
      const row = await db.taskSecret.findFirst({ where: { taskId, kind }, orderBy: { createdAt: 'desc' }, select: { id: true } });
      return row?.id ?? null;
    },
    /** Whether a marker with this value was written for the task. */
    async has(taskId: string, kind: TaskSecretKind, value: string): Promise<boolean> {
      const rows = await db.taskSecret.findMany({ where: { taskId, kind } });
      return rows.some((row) => decryptString(key(), row.valueEnc, aad(taskId, kind)) === value);
    },
    async remove(taskId: string, id: string) {
      await db.taskSecret.deleteMany({ where: { id, taskId } });
    },
    async purge(taskId: string) {
      await db.taskSecret.deleteMany({ where: { taskId } });
    },
  };
}

export type TaskSecrets = ReturnType<typeof createTaskSecrets>;
