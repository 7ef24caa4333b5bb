import type { Client } from '@temporalio/client';
import { AppError } from '../errors.js';
import type { TemporalGateway } from '../temporal/connection.js';

/** The gateway's client, or 503 `unavailable` when Temporal cannot be reached. */
export async function temporalClient(gateway: TemporalGateway): Promise<Client> {
  try {
    return await gateway.client();
  } catch (err) {
    throw new AppError('unavailable', `Temporal is unreachable: ${(err as Error).message}`);
  }
}
