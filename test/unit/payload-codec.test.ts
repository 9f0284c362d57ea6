import crypto from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec } from '../../clients/payload-codec';
import { loadConfig } from '../../config';

describe('the AES-256-GCM payload codec', () => {
  const key = crypto.randomBytes(32);
  const codec = new AesGcmCodec(key);
  const payload = defaultPayloadConverter.toPayload({ caseId: 'PMC123', o1: 'A 60-year-old man with chest pain' });

  it('encrypts payloads (no plain text left, a fresh IV each time) and decrypts them back', async () => {
    const [a] = await codec.encode([payload]);
    const [b] = await codec.encode([payload]);
    expect(Buffer.from(a!.data!).toString('latin1')).not.toContain('chest pain');
    expect(Buffer.from(a!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    const [back] = await codec.decode([a!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual({ caseId: 'PMC123', o1: 'A 60-year-old man with chest pain' });
  });

  it('refuses another key and a tampered payload, and leaves plain payloads alone', async () => {
    const [a] = await codec.encode([payload]);
    await expect(new AesGcmCodec(crypto.randomBytes(32)).decode([a!])).rejects.toThrow(
      /encrypted with key [0-9a-f]{16}, not the configured key/,
    );
    const tampered = { ...a!, data: new Uint8Array(Buffer.from(a!.data!).map((x, i) => (i === 20 ? x ^ 1 : x))) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('takes its key from MEDACTION_PAYLOAD_KEY, which must be 32 bytes of base64, and never shows it', () => {
    const config = loadConfig({ env: { MEDACTION_PAYLOAD_KEY: key.toString('base64') } });
    expect(JSON.stringify(config)).not.toContain(key.toString('base64'));
    expect(() => loadConfig({ env: { MEDACTION_PAYLOAD_KEY: 'c2hvcnQ=' } })).toThrow(/temporal\.payloadKey.*32 bytes/s);
  });
});
