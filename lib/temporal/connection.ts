// Connecting to Temporal: the local dev server, a self-hosted cluster (mTLS)
// or Temporal Cloud (API key + TLS). Used by the worker and the API.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config.js';
import { EncryptionCodec } from './codec.js';
import type { Keyring } from '../crypto.js';

/** Options both the client Connection and the worker's NativeConnection accept. */
export function connectionOptions(config: Config, address: string) {
  const { temporal } = config;
  const tls =
    temporal.tls || temporal.tlsCertPath
      ? {
          ...(temporal.tlsCertPath && temporal.tlsKeyPath
            ? { clientCertPair: { crt: readFileSync(temporal.tlsCertPath), key: readFileSync(temporal.tlsKeyPath) } }
            : {}),
        }
      : undefined;
  return {
    address,
    tls,
    apiKey: temporal.apiKey,
    metadata: temporal.apiKey ? { 'temporal-namespace': temporal.namespace } : undefined,
  };
}

/** Failure messages and stack traces encoded too (bundle the workflows with the same path). */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

export function createDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring.purpose('temporal-codec'))], failureConverterPath };
}

/**
 * A lazily (re)connecting Temporal client for long-lived processes: the API
 * must start and answer health checks while Temporal is down.
 */
export interface TemporalGateway {
  client(): Promise<Client>;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  readonly namespace: string;
  readonly taskQueue: string;
}

export function createTemporalGateway(opts: {
  config: Config;
  address: string;
  keyring: Keyring;
  interceptors?: NonNullable<ConstructorParameters<typeof Client>[0]>['interceptors'];
}): TemporalGateway {
  let pending: Promise<Client> | undefined;
  const { config } = opts;
  const connect = async () => {
    const options: ConnectionOptions = { ...connectionOptions(config, opts.address), connectTimeout: 10_000 };
    const connection = await Connection.connect(options);
    return new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: createDataConverter(opts.keyring),
      interceptors: opts.interceptors,
    });
  };
  const client = () => {
    pending ??= connect().catch((e) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
  return {
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    client,
    async ping(timeoutMs = 1_000) {
      try {
        const c = await Promise.race([
          client(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('connect timeout')), timeoutMs).unref()),
        ]);
        await c.connection.withDeadline(Date.now() + timeoutMs, () =>
          c.connection.workflowService.describeNamespace({ namespace: config.temporal.namespace }),
        );
        return true;
      } catch {
        // Start from a fresh connection next time rather than wait out gRPC's reconnect backoff.
        const stale = pending;
        pending = undefined;
        void stale?.then((c) => c.connection.close()).catch(() => {});
        return false;
      }
    },
    async close() {
      const p = pending;
      pending = undefined;
      if (p) await (await p.catch(() => undefined))?.connection.close();
    },
  };
}
