import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible chat-completions server with scripted replies: the stand-in for a paid LLM
 * API. The real `openai` client talks to it over real HTTP. A script decides each reply (a body, an
 * HTTP error, a delay past the client's timeout); every request is logged with what was answered.
 */

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  seed?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  reasoning_effort?: string;
  response_format?: {
    type: string;
    json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean };
    schema?: Record<string, unknown>;
  };
  [extra: string]: unknown;
}

export type ScriptedReply =
  /** A reply; `reasoning` is returned as `reasoning_content` beside it (DeepSeek-R1, vLLM's reasoning parsers). */
  | { kind: 'content'; content: string; delayMs?: number; reasoning?: string }
  | { kind: 'status'; status: number; message: string }
  /** Answers after `delayMs` (past the client's timeout, the client gives up first). */
  | { kind: 'hang'; delayMs: number; content: string };

export interface LoggedRequest {
  seq: number;
  /** SHA-256 of the request body: the same request made twice has the same key. */
  key: string;
  body: ChatRequestBody;
  /** When a 200 reply was handed to the connection in full (undefined: not answered, or the client had gone). */
  completedAt?: number;
  authorization: string | undefined;
  reply: ScriptedReply['kind'];
  status: number;
}

export interface ScriptedLlmServer {
  url: string;
  requests: LoggedRequest[];
  /** Goes down (connections refused) for `ms`, then listens on the same port again. */
  goDown(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** `models`: what GET /models lists (the preflight of a build checks its model is among them). */
export async function startScriptedLlmServer(
  script: (body: ChatRequestBody) => ScriptedReply,
  models: string[] = ['scripted-doctor', 'o4-mini'],
  /** 0: any free port. */
  listenPort = 0,
): Promise<ScriptedLlmServer> {
  const requests: LoggedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'test' })) }));
        return;
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const body = JSON.parse(raw) as ChatRequestBody;
      let reply: ScriptedReply;
      try {
        reply = script(body);
      } catch (error) {
        reply = { kind: 'status', status: 500, message: `script error: ${(error as Error).message}` };
      }
      const status = reply.kind === 'status' ? reply.status : 200;
      const logged: LoggedRequest = {
        seq: requests.length,
        key: createHash('sha256').update(raw).digest('hex'),
        body,
        authorization: req.headers.authorization,
        reply: reply.kind,
        status,
      };
      requests.push(logged);
      const send = () => {
        if (res.destroyed) return;
        if (reply.kind === 'status') {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: reply.message, type: 'scripted' } }));
          return;
        }
        const content = reply.content;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: 0,
            model: body.model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content,
                  ...(reply.kind === 'content' && reply.reasoning ? { reasoning_content: reply.reasoning } : {}),
                },
                finish_reason: 'stop',
              },
            ],
            usage: {
              prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
              completion_tokens: Math.ceil(content.length / 4),
              total_tokens: Math.ceil(JSON.stringify(body.messages).length / 4) + Math.ceil(content.length / 4),
            },
          }),
          () => {
            if (!res.destroyed) logged.completedAt = Date.now();
          },
        );
      };
      const delay = reply.kind === 'hang' ? reply.delayMs : reply.kind === 'content' ? (reply.delayMs ?? 0) : 0;
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const closeListener = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    async goDown(ms) {
      await closeListener();
      setTimeout(() => server.listen(port, '127.0.0.1'), ms);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
