import fs from 'node:fs';
import readline from 'node:readline';
import OpenAI from 'openai';
import { parseTurn } from '../core/policy/turn';

/**
 * The practical ceiling: the LLM calls a durable build made (the benchmark server's request log),
 * issued again by a bare async loop — the real `openai` client, at most `concurrency` calls in flight
 * (p-limit), each reply parsed as a turn — with no Temporal, no store, no tree. It ignores the order in
 * which a tree makes its calls, so it is an upper bound for any pipeline making the same calls.
 */
export interface BareLoopResult {
  calls: number;
  failed: number;
  wall_s: number;
  calls_per_s: number;
  cpu_ms_per_call: number;
}

export async function runBareLoop(options: { log: string; baseUrl: string; concurrency: number }): Promise<BareLoopResult> {
  const { default: pLimit } = await import('p-limit');
  const bodies: string[] = [];
  for await (const line of readline.createInterface({ input: fs.createReadStream(options.log) })) if (line) bodies.push(line);
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: 'sk-bench-not-a-secret', maxRetries: 0, timeout: 120_000 });
  const limit = pLimit(options.concurrency);
  let failed = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    bodies.map((raw) =>
      limit(async () => {
        const body = JSON.parse(raw) as OpenAI.ChatCompletionCreateParamsNonStreaming;
        try {
          const reply = await client.chat.completions.create(body);
          if ('problems' in parseTurn(reply.choices[0]?.message.content ?? '', false)) failed++;
        } catch {
          failed++;
        }
      }),
    ),
  );
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    calls: bodies.length,
    failed,
    wall_s: round(wall),
    calls_per_s: round(bodies.length / wall),
    cpu_ms_per_call: round((used.user + used.system) / 1000 / Math.max(1, bodies.length)),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** `tsx bench/bare-loop.ts <log> <baseUrl> <concurrency>`: prints one JSON line. */
if (require.main === module) {
  const [log, baseUrl, concurrency] = process.argv.slice(2);
  runBareLoop({ log: log as string, baseUrl: baseUrl as string, concurrency: Number(concurrency) })
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((error) => {
      process.stderr.write(`bare loop: ${(error as Error).stack}\n`);
      process.exit(1);
    });
}
