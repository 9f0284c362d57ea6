import http from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** A payload as the Temporal UI sends it to a codec server: metadata values and data in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * A Temporal codec server (POST /decode and /encode with `{"payloads": [...]}`), so the Web UI can show
 * encrypted payloads in clear to whoever can reach this server: start the UI with `--ui-codec-endpoint`
 * pointing here (or set it in the UI's settings). Only the UI's origin may call it.
 */
export function startCodecServer(codec: PayloadCodec, port: number, allowOrigin: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', allowOrigin);
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const route = req.url?.replace(/\/+$/, '');
    if (req.method !== 'POST' || (route !== '/decode' && route !== '/encode')) {
      res.writeHead(404).end();
      return;
    }
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', async () => {
      try {
        const payloads = ((JSON.parse(raw) as { payloads?: JsonPayload[] }).payloads ?? []).map(fromJson);
        const result = route === '/decode' ? await codec.decode(payloads) : await codec.encode(payloads);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: result.map(toJson) }));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
