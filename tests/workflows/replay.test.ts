// Every recorded history of a real reset (tests/workflows/histories, written by
// `npm run histories:record`) replayed against today's workflow code, with the
// data converter the workers use. A change that issues other commands than
// the code that recorded a history — an activity added before an existing
// one, a timer removed — fails here, as it would fail the resets in flight at
// deploy time; put it behind `patched` (see the top of
// workflows/reset-password.workflow.ts).
import { readFileSync } from 'node:fs';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { createKeyring } from '../../lib/crypto.js';
import { createDataConverter } from '../../lib/temporal/connection.js';
import { loadRecordedHistories, recordingMasterKey } from '../support/recorded-histories.js';

const histories = loadRecordedHistories();

/**
 * Encodings of the payloads in events, other than search attributes and patch markers'
 * ids: Temporal never runs codecs on those, and they hold statuses, ids and patch names.
 */
function payloadEncodings(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) payloadEncodings(n, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'searchAttributes' || key === 'indexedFields' || key === 'patch-data') continue;
      if (key === 'metadata' && value && typeof value === 'object' && 'encoding' in value) {
        out.push(Buffer.from((value as { encoding: Uint8Array }).encoding).toString());
      } else payloadEncodings(value, out);
    }
  }
  return out;
}

describe('recorded resets replay against the workflow code', { timeout: 180_000 }, () => {
  it('histories of real resets are committed: a completed link reset, an OTP reset, a CAPTCHA escalation, a failure', () => {
    const scenarios = new Set(histories.map((h) => h.name.split('.')[0]));
    for (const s of ['link-site-completed', 'sms-otp-wrong-then-right-completed', 'captcha-escalated-failed', 'no-email-failed']) expect(scenarios).toContain(s);
  });

  it('every payload in them is encrypted', () => {
    for (const { name, history } of histories) {
      const encodings = payloadEncodings(history.events);
      expect(encodings.length, name).toBeGreaterThan(10);
      expect(new Set(encodings), name).toEqual(new Set(['binary/encrypted']));
    }
  });

  it('every one replays without a non-determinism error', async () => {
    const results: ReplayResult[] = [];
    const replays = Worker.runReplayHistories(
      {
        workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') },
        dataConverter: createDataConverter(createKeyring(recordingMasterKey)),
      },
      histories.map(({ workflowId, history }) => ({ workflowId, history })),
    );
    for await (const result of replays) results.push(result);
    expect(results.map((r) => r.workflowId).sort()).toEqual(histories.map((h) => h.workflowId).sort());
    const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`);
    expect(failures).toEqual([]);
  });
});
