import crypto from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { AddressInfo } from 'node:net';
import { startCodecServer } from '../../clients/codec-server';
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

describe('the codec server for the Web UI', () => {
  it('decodes what it encodes, over HTTP as the UI calls it, and answers CORS preflights for the UI only', async () => {
    const server = await startCodecServer(new AesGcmCodec(crypto.randomBytes(32)), 0, 'http://127.0.0.1:8233');
    const port = (server.address() as AddressInfo).port;
    try {
      const plain = {
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from('{"x":1}').toString('base64'),
      };
      const post = async (route: string, body: unknown) =>
        (await fetch(`http://127.0.0.1:${port}${route}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<{
          payloads: (typeof plain)[];
        }>;
      const encoded = await post('/encode', { payloads: [plain] });
      expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
      expect(await post('/decode', encoded)).toEqual({ payloads: [plain] });
      const preflight = await fetch(`http://127.0.0.1:${port}/decode`, { method: 'OPTIONS' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    } finally {
      server.close();
    }
  });
});
