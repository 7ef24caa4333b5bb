// Histories of real resets, recorded by `npm run histories:record`
// (scripts/record-histories.ts) and replayed by tests/workflows/replay.test.ts
// against today's workflow code: a change that would break a reset in flight
// at deploy time fails there. They were recorded with the master key below, so
// their payloads are encrypted like production ones (and decodable here). It
// is a fixture key: it protects nothing but sandbox data, never use it elsewhere.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import proto, { type temporal } from '@temporalio/proto';
import { projectRoot } from '../../lib/config.js';

// The proto3 JSON form of a history, as `temporal workflow show --output json` writes
// it. @temporalio/common's historyToJSON/historyFromJSON cannot be used here: they pair
// its own copy of protobufjs with the message types of @temporalio/proto's copy, and the
// two are separate installs (grpc's proto-loader keeps protobufjs 7 at the top), so
// protobufjs refuses the types. The JSON codec of @temporalio/proto's own copy works.
const protojson = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'))('protobufjs/ext/protojson') as {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown): unknown;
};
const HistoryType = proto.temporal.api.history.v1.History;

export function historyToJson(history: temporal.api.history.v1.IHistory): string {
  return JSON.stringify(protojson.toJson(HistoryType, HistoryType.fromObject(history)), null, 1);
}

export function historyFromJson(json: unknown): temporal.api.history.v1.History {
  return protojson.fromJson(HistoryType, json) as temporal.api.history.v1.History;
}

export const historiesDir = path.join(projectRoot, 'tests', 'workflows', 'histories');

/** 32 bytes derived from a public phrase: anyone may decode the recorded histories. */
export const recordingMasterKey = createHash('sha256').update('rekey: fixture key of the recorded workflow histories (sandbox data only)').digest();

export interface RecordedHistory {
  /** File name without `.json`: the scenario and the hash of the workflow code that recorded it. */
  name: string;
  workflowId: string;
  history: temporal.api.history.v1.IHistory;
}

export function loadRecordedHistories(): RecordedHistory[] {
  return readdirSync(historiesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.json$/, '');
      return { name, workflowId: name, history: historyFromJson(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))) };
    });
}
