// Encrypts every Temporal payload (AES-256-GCM) as defence in depth: workflow
// inputs, results, signals and queries carry only ids already, but history is
// kept and shown to staff. The key is derived for this purpose alone, never the
// vault key. The codec endpoint (/codec/*) lets the Web UI decode payloads.
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { decrypt, encrypt } from '../crypto.js';

const ENCODING = 'binary/encrypted';
const { Payload: PayloadProto } = proto.temporal.api.common.v1;

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    private readonly keyId = 'rekey-v1',
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: {
        encoding: Buffer.from(ENCODING),
        'encryption-key-id': Buffer.from(this.keyId),
      },
      data: encrypt(this.key, Buffer.from(PayloadProto.encode(payload).finish())),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      if (!payload.data) throw new Error('encrypted payload has no data');
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      if (keyId !== this.keyId) throw new Error(`unknown encryption key id ${keyId}`);
      return PayloadProto.decode(decrypt(this.key, payload.data)) as Payload;
    });
  }
}
