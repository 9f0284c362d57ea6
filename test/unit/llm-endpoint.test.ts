import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOpenAiClient, LlmEndpoint, type StoredCompletion } from '../../clients/llm';
import { loadConfig } from '../../config';
import type { CompletionRequest } from '../../core/policy/llm-doctor';
import { ResponseStore } from '../../stores/response-store';
import {
  startScriptedLlmServer,
  type ChatRequestBody,
  type ScriptedLlmServer,
  type ScriptedReply,
} from '../support/scripted-llm-server';

/**
 * The endpoint against a scripted OpenAI-compatible server over real HTTP: the structured-output ladder,
 * the parameters of reasoning models, and reasoning traces.
 */
const TURN = JSON.stringify({
  reasoning: 'r',
  differential: [{ diagnosis: 'myocardial infarction', likelihood: 0.7 }],
  action: { type: 'final_diagnosis', diagnosis: 'myocardial infarction' },
});

const servers: ScriptedLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function endpointFor(script: (body: ChatRequestBody) => ScriptedReply, env: Record<string, string> = {}) {
  const server = await startScriptedLlmServer(script);
  servers.push(server);
  const config = loadConfig({ env: { MEDACTION_LLM_BASE_URL: server.url, MEDACTION_LLM_API_KEY: 'k', ...env } });
  const log: string[] = [];
  const endpoint = new LlmEndpoint(createOpenAiClient(config), config.llm, (line) => log.push(line));
  const store = new ResponseStore<StoredCompletion>(fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-llm-')));
  return { endpoint, store, log, requests: server.requests };
}

const request = (candidate: number): CompletionRequest => ({
  messages: [{ role: 'user', content: `case ${candidate}` }],
  temperature: 0.7,
  seed: 1,
  finalOnly: true,
  branchPath: '',
  candidate,
  attempt: 'first',
});

describe('the LLM endpoint', () => {
  it('asks for strict structured output with the strict schema', async () => {
    const { endpoint, store, requests } = await endpointFor(() => ({ kind: 'content', content: TURN }));
    await endpoint.complete('gpt-4o-mini', request(0), store);
    const format = requests[0]!.body.response_format!;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema).toMatchObject({ name: 'doctor_turn', strict: true });
    expect(format.json_schema!.schema).toMatchObject({
      additionalProperties: false,
      required: ['reasoning', 'differential', 'action'],
    });
    expect(requests[0]!.body).toMatchObject({ max_tokens: 2048, temperature: 0.7, seed: 1 });
  });

  it("falls back to JSON mode with the schema on llama.cpp's 500 naming response_format, once for the endpoint", async () => {
    const { endpoint, store, requests, log } = await endpointFor((body) =>
      body.response_format?.type === 'json_schema'
        ? {
            kind: 'status',
            status: 500,
            message: "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or 'json_object'",
          }
        : { kind: 'content', content: TURN },
    );
    await endpoint.complete('smollm2', request(0), store);
    await endpoint.complete('smollm2', request(1), store);
    expect(requests.map((r) => r.body.response_format!.type)).toEqual([
      'json_schema',
      'json_schema',
      'json_object',
      'json_object',
    ]);
    expect(requests[0]!.body.response_format!.json_schema!.strict).toBe(true);
    expect(requests[1]!.body.response_format!.json_schema!.strict).toBeUndefined();
    expect(requests[2]!.body.response_format!.schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(endpoint.format).toBe('json_object_schema');
    expect(log).toHaveLength(2);
  });

  it('takes one step down for requests refused together, not one each', async () => {
    const { endpoint, store, requests, log } = await endpointFor((body) =>
      body.response_format?.json_schema?.strict
        ? { kind: 'status', status: 400, message: 'response_format: strict mode is not supported' }
        : body.max_tokens !== undefined
          ? { kind: 'status', status: 400, message: "Unsupported parameter: 'max_tokens' is not supported with this model." }
          : { kind: 'content', content: TURN },
    );
    await Promise.all([0, 1, 2, 3].map((i) => endpoint.complete('house-model', request(i), store)));
    expect(endpoint.format).toBe('json_schema');
    expect(endpoint.parametersFor('house-model').maxTokensParameter).toBe('max_completion_tokens');
    expect(log).toHaveLength(2);
    expect(requests.filter((r) => r.status === 200)).toHaveLength(4);
  });

  it('steps down one rung on a 422 refusing strict mode, and keeps the error of any other failure', async () => {
    const { endpoint, store, requests } = await endpointFor((body) =>
      body.response_format?.json_schema?.strict
        ? { kind: 'status', status: 422, message: 'strict mode is not supported' }
        : { kind: 'content', content: TURN },
    );
    await endpoint.complete('m', request(0), store);
    expect(endpoint.format).toBe('json_schema');
    expect(requests).toHaveLength(2);
    const failing = await endpointFor(() => ({ kind: 'status', status: 500, message: 'out of memory' }));
    await expect(failing.endpoint.complete('m', request(0), failing.store)).rejects.toThrow(/out of memory/);
    expect(failing.requests).toHaveLength(1);
    expect(failing.endpoint.format).toBe('strict');
  });

  /** OpenAI's answers to a reasoning model asked with max_tokens or a temperature. */
  const hostedReasoningModel = (body: ChatRequestBody): ScriptedReply =>
    body.max_tokens !== undefined
      ? {
          kind: 'status',
          status: 400,
          message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        }
      : body.temperature !== undefined
        ? {
            kind: 'status',
            status: 400,
            message:
              "Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.",
          }
        : { kind: 'content', content: TURN, reasoning: 'The ST elevation points to an infarct.' };

  it('asks a reasoning model with its family parameters, and keeps its reasoning trace', async () => {
    const { endpoint, store, requests } = await endpointFor(hostedReasoningModel, { MEDACTION_LLM_REASONING_EFFORT: 'low' });
    const reply = await endpoint.complete('o4-mini', request(0), store);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toMatchObject({ max_completion_tokens: 2048, reasoning_effort: 'low' });
    expect(requests[0]!.body).not.toHaveProperty('temperature');
    expect(reply).toMatchObject({ content: TURN, reasoning: 'The ST elevation points to an infarct.', fromStore: false });
    // From the response store, with its trace.
    expect(await endpoint.complete('o4-mini', request(0), store)).toMatchObject({
      reasoning: 'The ST elevation points to an infarct.',
      fromStore: true,
    });
  });

  it('learns the parameters of a reasoning model it does not know from its 400s, and sends extra body fields', async () => {
    const { endpoint, store, requests, log } = await endpointFor(hostedReasoningModel, {
      MEDACTION_LLM_EXTRA_BODY: '{"top_k": 20}',
    });
    await endpoint.complete('house-reasoner', request(0), store);
    await endpoint.complete('house-reasoner', request(1), store);
    expect(requests.map((r) => r.status)).toEqual([400, 400, 200, 200]);
    expect(requests[3]!.body).toMatchObject({ max_completion_tokens: 2048, top_k: 20 });
    expect(log.join('\n')).toMatch(/refused max_tokens[\s\S]*refused the temperature/);
  });

  it('refuses an extra body that is not a JSON object, naming the setting', () => {
    expect(() => loadConfig({ env: { MEDACTION_LLM_EXTRA_BODY: '[1,2]' } })).toThrow(/MEDACTION_LLM_EXTRA_BODY.*JSON object/s);
  });
});
