import { describe, expect, it } from 'vitest';
import { sanitizeAuditDetail } from '../../../lib/audit/record-audit-event.js';

describe('sanitizeAuditDetail', () => {
  it('drops keys that sound like secrets and trims long values', () => {
    expect(
      sanitizeAuditDetail({
        apiKeyId: 'k1',
        sessionId: 's1',
        password: 'x',
        newPassword: 'x',
        token: 'x',
        challengeToken: 'x',
        code: 'x',
        totpSecret: 'x',
        keyHash: 'x',
        reason: 'r'.repeat(300),
      }),
    ).toEqual({ apiKeyId: 'k1', sessionId: 's1', reason: 'r'.repeat(200) });
    expect(sanitizeAuditDetail({ password: 'x' })).toBeUndefined();
  });
});
