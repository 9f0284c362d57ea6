import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { parseCaseFile } from '../core/cases/case-file';
import { benchDoctor, type ChatBody, type DoctorShape } from './doctor';

/**
 * The benchmark's LLM endpoint: an OpenAI-compatible chat-completions server in its own process (so its
 * CPU is not counted as the worker's), answering with the benchmark doctor's valid turns after a
 * latency of `latencyMs` ± `jitterMs` (uniform), and with 429 + Retry-After above `rateLimit` requests
 * per second (token bucket, burst of one second). Every request body is appended to `log` as one JSON
 * line: the bare loop replays exactly these calls.
 */
export interface BenchServerOptions {
  corpusFile: string;
  shape: DoctorShape;
  latencyMs: number;
  jitterMs: number;
  /** Requests per second; 0: no limit. */
  rateLimit: number;
  log?: string;
  port?: number;
}

export async function startBenchServer(options: BenchServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const corpus = parseCaseFile(fs.readFileSync(options.corpusFile, 'utf8'), options.corpusFile);
  const doctor = benchDoctor(corpus, options.shape);
  const log = options.log ? fs.createWriteStream(options.log, { flags: 'a' }) : undefined;
  let tokens = options.rateLimit;
  let refilled = Date.now();
  const admit = (): boolean => {
    if (options.rateLimit <= 0) return true;
    const now = Date.now();
    tokens = Math.min(options.rateLimit, tokens + ((now - refilled) / 1000) * options.rateLimit);
    refilled = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const fail = (status: number, message: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ error: { message, type: 'benchmark' } }));
      };
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'bench-doctor', object: 'model', owned_by: 'benchmark' }] }));
        return;
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return fail(404, `no route ${req.method} ${req.url}`);
      if (!admit()) return fail(429, 'rate limit of the benchmark server', { 'retry-after': '1' });
      let content: string;
      let body: ChatBody & { model?: string };
      try {
        body = JSON.parse(raw) as typeof body;
        content = doctor(body);
      } catch (error) {
        return fail(400, (error as Error).message);
      }
      log?.write(`${raw}\n`);
      const delay = Math.max(0, options.latencyMs + (Math.random() * 2 - 1) * options.jitterMs);
      const send = () => {
        if (res.destroyed) return;
        const prompt = Math.ceil(raw.length / 4);
        const completion = Math.ceil(content.length / 4);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-bench',
            object: 'chat.completion',
            created: 0,
            model: body.model ?? 'bench',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
          }),
        );
      };
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => (log ? log.end(() => resolve()) : resolve()));
      }),
  };
}

/** `tsx bench/llm-server.ts --corpus … --latency-ms 1000 …`: prints its URL on the first line, serves until SIGTERM. */
if (require.main === module) {
  const o = new Command('bench-llm-server')
    .requiredOption('--corpus <cases.jsonl>')
    .requiredOption('--shape <json>', 'DoctorShape as JSON')
    .option('--latency-ms <ms>', 'fixed latency', Number, 1000)
    .option('--jitter-ms <ms>', 'uniform jitter around the latency', Number, 0)
    .option('--rate-limit <r>', 'requests per second (0: none)', Number, 0)
    .option('--log <file>', 'append request bodies here')
    .option('--port <n>', 'port (0: any)', Number, 0)
    .parse()
    .opts<{
      corpus: string;
      shape: string;
      latencyMs: number;
      jitterMs: number;
      rateLimit: number;
      log?: string;
      port: number;
    }>();
  startBenchServer({
    corpusFile: o.corpus,
    shape: JSON.parse(o.shape) as DoctorShape,
    latencyMs: o.latencyMs,
    jitterMs: o.jitterMs,
    rateLimit: o.rateLimit,
    ...(o.log ? { log: o.log } : {}),
    port: o.port,
  })
    .then((server) => {
      process.stdout.write(`${server.url}\n`);
      process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
    })
    .catch((error) => {
      process.stderr.write(`bench llm server: ${(error as Error).message}\n`);
      process.exit(1);
    });
}
