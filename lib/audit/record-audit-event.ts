// The security audit log: who did what, from where. `detail` is a small flat
// object of ids, counts and reasons; it never holds a secret. As a safety net,
// keys that look like secrets are dropped before the row is written.
import type { Db } from '../db/index.js';

export const auditActions = [
  'auth.signup',
  'auth.signup_rejected',
  'auth.signin',
  'auth.signin_failed',
  'auth.mfa_challenge',
  'auth.mfa_failed',
  'auth.signout',
  'auth.sudo',
  'auth.sudo_failed',
  'session.revoked',
  'session.revoked_others',
  'twofa.enabled',
  'twofa.disabled',
  'twofa.recovery_used',
  'api_key.created',
  'api_key.revoked',
  'password.changed',
  'password.change_failed',
  'password.reset_requested',
  'password.reset',
  'email.verification_sent',
  'email.verified',
  'account.exported',
  'account.deleted',
  'staff.created',
  'staff.promoted',
  'vault.password_revealed',
] as const;

export type AuditAction = (typeof auditActions)[number];

export type AuditDetail = Record<string, string | number | boolean | null>;

export interface AuditEventInput {
  userId?: string | null;
  action: AuditAction;
  ip?: string | null;
  userAgent?: string | null;
  detail?: AuditDetail;
  at?: Date;
}

const SECRET_KEY = /pass|secret|token|hash|cookie|otp|link|authorization|^code$|^key$|^codes?$/i;

/** Drops anything that could be a secret: keys that sound like one, and long values. */
export function sanitizeAuditDetail(detail: AuditDetail | undefined): AuditDetail | undefined {
  if (!detail) return undefined;
  const out: AuditDetail = {};
  for (const [k, v] of Object.entries(detail)) {
    if (SECRET_KEY.test(k)) continue;
    out[k] = typeof v === 'string' ? v.slice(0, 200) : v;
  }
  return Object.keys(out).length ? out : undefined;
}

export async function recordAuditEvent(db: Pick<Db, 'auditEvent'>, event: AuditEventInput): Promise<void> {
  const detail = sanitizeAuditDetail(event.detail);
  await db.auditEvent.create({
    data: {
      userId: event.userId ?? null,
      action: event.action,
      ip: event.ip ?? null,
      userAgent: event.userAgent?.slice(0, 512) ?? null,
      detail: detail ? JSON.stringify(detail) : null,
      ...(event.at ? { createdAt: event.at } : {}),
    },
  });
}
