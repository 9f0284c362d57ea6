import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAiClient } from '../../clients/llm';
import { isLocalEndpoint, preflightLlm } from '../../clients/llm-preflight';
import { loadConfig } from '../../config';
import { medaction } from '../support/in-process-cli';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';

/** The checks before a run that talks to an LLM: a key for a hosted API, an endpoint that answers, the model it serves. */
describe('the LLM preflight', () => {
  let server: ScriptedLlmServer;
  beforeAll(async () => {
    server = await startScriptedLlmServer(
      () => ({ kind: 'status', status: 401, message: 'Incorrect API key provided' }),
      ['m1', 'm2'],
    );
  });
  afterAll(() => server.close());

  it('tells local servers from hosted APIs by their address', () => {
    for (const url of [
      'http://127.0.0.1:8080/v1',
      'http://localhost:11434/v1',
      'http://10.0.0.5:8000/v1',
      'http://vllm:8000/v1',
      'http://gpu.local/v1',
    ]) {
      expect(isLocalEndpoint(url)).toBe(true);
    }
    for (const url of ['https://api.openai.com/v1', 'https://api.deepseek.com', 'https://8.8.8.8/v1'])
      expect(isLocalEndpoint(url)).toBe(false);
  });

  it('refuses a hosted API without a key before any request, naming MEDACTION_LLM_API_KEY', async () => {
    const config = loadConfig({ env: {} });
    await expect(preflightLlm(config, ['gpt-4o-mini'])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/no API key for the LLM endpoint https:\/\/api\.openai\.com\/v1: set MEDACTION_LLM_API_KEY/),
    });
  });

  it('checks that the endpoint answers and serves the model', async () => {
    const config = loadConfig({ env: { MEDACTION_LLM_BASE_URL: server.url } });
    await expect(preflightLlm(config, ['m2'])).resolves.toBeUndefined();
    await expect(preflightLlm(config, ['m1', 'gpt-x'])).rejects.toThrow(
      /does not serve model "gpt-x" \(it serves: m1, m2\): set MEDACTION_LLM_MODEL/,
    );
    const down = loadConfig({ env: { MEDACTION_LLM_BASE_URL: 'http://127.0.0.1:9/v1' } });
    await expect(preflightLlm(down, ['m1'])).rejects.toThrow(/cannot be reached: check MEDACTION_LLM_BASE_URL/);
  });

  /** A bare endpoint: `answer` decides the status and body of each request by method and path. */
  async function bareEndpoint(answer: (method: string, url: string) => [number, unknown]) {
    const seen: string[] = [];
    const bare = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`);
        const [status, body] = answer(req.method ?? '', req.url ?? '');
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/v1`;
    return { url, seen, close: () => new Promise<void>((resolve) => bare.close(() => resolve())) };
  }

  it('names the key when the endpoint refuses it', async () => {
    const refusing = await bareEndpoint(() => [401, { error: { message: 'Incorrect API key provided' } }]);
    try {
      const config = loadConfig({ env: { MEDACTION_LLM_BASE_URL: refusing.url, MEDACTION_LLM_API_KEY: 'sk-wrong' } });
      await expect(preflightLlm(config, ['m1'], createOpenAiClient(config))).rejects.toThrow(
        /refused the API key \(HTTP 401\): check MEDACTION_LLM_API_KEY/,
      );
    } finally {
      await refusing.close();
    }
  });

  it('asks one 1-token completion of an endpoint without a model list', async () => {
    const listless = await bareEndpoint((method) =>
      method === 'GET'
        ? [404, { error: { message: 'not found' } }]
        : [
            200,
            {
              id: 'c',
              object: 'chat.completion',
              created: 0,
              model: 'm',
              choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'length' }],
            },
          ],
    );
    try {
      const config = loadConfig({ env: { MEDACTION_LLM_BASE_URL: listless.url } });
      await expect(preflightLlm(config, ['m'])).resolves.toBeUndefined();
      expect(listless.seen).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
    } finally {
      await listless.close();
    }
  });

  it('stops `medaction build --policy openai` without a key in seconds, exit 2, before any service is asked', async () => {
    const started = Date.now();
    const { code, stderr } = await medaction(['build', '--policy', 'openai', '--limit', '1'], {
      MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:9',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('set MEDACTION_LLM_API_KEY');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
