// Discovery results per origin (`DiscoveryCache`), for an hour: a browser
// visit costs seconds, and a site's sign-in page rarely changes within one.
// Rows are public facts about a site, shared by everyone; nothing personal.
import { z } from 'zod';
import type { Db } from '../db/index.js';
import { signInMethods } from './sign-in-vocabulary.js';

export const DISCOVERY_CACHE_TTL_MS = 60 * 60_000;

export const signInDiscoverySchema = z.object({
  methods: z.array(z.enum(signInMethods)),
  resetUrl: z.string().nullable(),
  signupUrl: z.string().nullable(),
  loginUrl: z.string().nullable(),
});

export type SignInDiscovery = z.infer<typeof signInDiscoverySchema>;

export async function readCachedDiscovery(db: Db, origin: string, now: Date): Promise<SignInDiscovery | null> {
  const row = await db.discoveryCache.findUnique({ where: { origin } });
  if (!row || row.expiresAt <= now) return null;
  try {
    const parsed = signInDiscoverySchema.safeParse(JSON.parse(row.result));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // written by an older version: discover again
  }
}

export async function writeCachedDiscovery(db: Db, origin: string, result: SignInDiscovery, expiresAt: Date): Promise<void> {
  const data = { result: JSON.stringify(result), expiresAt };
  try {
    await db.discoveryCache.upsert({ where: { origin }, create: { origin, ...data }, update: data });
  } catch {
    // Two discoveries of one origin finished at once: the other row is as good as ours.
  }
}
