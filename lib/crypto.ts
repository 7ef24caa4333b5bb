// Encryption at rest and token helpers. AES-256-GCM with keys derived from the
// master key by HKDF-SHA256, one key per purpose (and per user for the
// vault), so the Temporal codec key is never the vault key. Ciphertexts are
// bound to their row with associated data, so one row's ciphertext cannot be
// pasted into another.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type KeyPurpose = 'vault' | 'temporal-codec' | 'task-secret' | 'account' | 'webhook';

export function deriveKey(masterKey: Buffer, purpose: KeyPurpose, subject = ''): Buffer {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from(subject, 'utf8'), `rekey/${purpose}/v1`, 32));
}

/** [version][iv][tag][ciphertext] */
export function encrypt(key: Buffer, plaintext: Buffer | string, associatedData = ''): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  // A plain Uint8Array copy: what Prisma's Bytes fields and Temporal payloads take.
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]));
}

export function decrypt(key: Buffer, sealed: Uint8Array, associatedData = ''): Buffer {
  const buf = Buffer.from(sealed);
  if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new Error('not a Rekey ciphertext');
  const iv = buf.subarray(1, 1 + IV_BYTES);
  const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

export const decryptString = (key: Buffer, sealed: Uint8Array, associatedData = '') =>
  decrypt(key, sealed, associatedData).toString('utf8');

/** A URL-safe random token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored as SHA-256: high-entropy secrets need no slow hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab); // spend comparable time either way
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** A keyring bound to one master key: what activities and the API receive. */
export interface Keyring {
  vault(userId: string): Buffer;
  purpose(purpose: Exclude<KeyPurpose, 'vault'>): Buffer;
}

export function createKeyring(masterKey: Buffer): Keyring {
  const cache = new Map<string, Buffer>();
  const get = (purpose: KeyPurpose, subject: string) => {
    const id = `${purpose}:${subject}`;
    let key = cache.get(id);
    if (!key) {
      key = deriveKey(masterKey, purpose, subject);
      cache.set(id, key);
    }
    return key;
  };
  return { vault: (userId) => get('vault', userId), purpose: (p) => get(p, '') };
}
