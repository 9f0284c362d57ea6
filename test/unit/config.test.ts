import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig, Secret } from '../../config';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment (the local services)', () => {
    const config = loadConfig({ env: {} });
    expect(config.temporal.address).toBe('127.0.0.1:7233');
    expect(config.temporal.uiUrl).toBe('http://127.0.0.1:8233');
    expect(config.temporal.taskQueues).toEqual({ workflows: 'medaction', llm: 'medaction-llm', kg: 'medaction-kg' });
    expect(config.neo4j.uri).toBe('bolt://127.0.0.1:7687');
    expect(config.neo4j.password.reveal()).toBe('medaction-local');
    expect(config.build.policy).toBe('kg-baseline');
    expect(path.isAbsolute(config.services.stateDir)).toBe(true);
  });

  it('reads and coerces environment variables', () => {
    const config = loadConfig({
      env: {
        MEDACTION_TEMPORAL_ADDRESS: 'temporal.example.org:7233',
        MEDACTION_TEMPORAL_TLS: 'true',
        MEDACTION_NEO4J_URI: 'neo4j+s://graph.example.org',
        MEDACTION_LLM_TIMEOUT_MS: '5000',
        MEDACTION_BRANCHING: '4',
        OPENAI_API_KEY: 'sk-fallback',
      },
    });
    expect(config.temporal.address).toBe('temporal.example.org:7233');
    expect(config.temporal.tls).toBe(true);
    expect(config.neo4j.uri).toBe('neo4j+s://graph.example.org');
    expect(config.llm.requestTimeoutMs).toBe(5000);
    expect(config.build.branching).toBe(4);
    expect(config.llm.apiKey?.reveal()).toBe('sk-fallback');
  });

  it('prefers MEDACTION_LLM_API_KEY over OPENAI_API_KEY and treats empty variables as unset', () => {
    const config = loadConfig({
      env: { MEDACTION_LLM_API_KEY: 'sk-own', OPENAI_API_KEY: 'sk-other', MEDACTION_LLM_MODEL: '  ' },
    });
    expect(config.llm.apiKey?.reveal()).toBe('sk-own');
    expect(config.llm.model).toBe('gpt-4o-mini');
  });

  it('lists every bad field in one error, naming the variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({
        env: {
          MEDACTION_TEMPORAL_ADDRESS: 'localhost:abc',
          MEDACTION_NEO4J_URI: 'http://graph:7474',
          MEDACTION_BRANCHING: 'three',
          MEDACTION_POLICY: 'gpt',
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.exitCode).toBe(2);
    expect(configError.problems).toHaveLength(4);
    expect(configError.message).toContain('4 problems');
    expect(configError.message).toMatch(
      /temporal\.address \(env MEDACTION_TEMPORAL_ADDRESS = "localhost:abc"\): expected host:port with a numeric port/,
    );
    expect(configError.message).toMatch(
      /neo4j\.uri \(env MEDACTION_NEO4J_URI = "http:\/\/graph:7474"\): expected a URL with scheme bolt/,
    );
    expect(configError.message).toMatch(/build\.branching .*expected a branching factor/);
    expect(configError.message).toMatch(/build\.policy .*expected one of kg-baseline, openai/);
  });

  it('rejects out-of-range ports', () => {
    expect(() => loadConfig({ env: { MEDACTION_TEMPORAL_ADDRESS: '127.0.0.1:70000' } })).toThrow(/numeric port 1-65535/);
    expect(() => loadConfig({ env: { MEDACTION_NEO4J_URI: 'bolt://127.0.0.1:99999' } })).toThrow(/neo4j\.uri/);
  });

  it('never echoes a secret value in an error', () => {
    const file = tempJson({ neo4j: { password: 12345 } });
    expect(() => loadConfig({ env: {}, configFile: file })).toThrow(ConfigError);
    try {
      loadConfig({ env: {}, configFile: file });
    } catch (e) {
      expect((e as Error).message).toContain('neo4j.password');
      expect((e as Error).message).not.toContain('12345');
    }
  });

  it('layers defaults < config file < environment', () => {
    const file = tempJson({ temporal: { namespace: 'from-file', address: 'file-host:7233' }, build: { maxTurns: 7 } });
    const config = loadConfig({ env: { MEDACTION_TEMPORAL_ADDRESS: 'env-host:7233' }, configFile: file });
    expect(config.temporal.address).toBe('env-host:7233');
    expect(config.temporal.namespace).toBe('from-file');
    expect(config.build.maxTurns).toBe(7);
  });

  it('takes the config file from MEDACTION_CONFIG', () => {
    const file = tempJson({ llm: { model: 'qwen2.5-72b' } });
    expect(loadConfig({ env: { MEDACTION_CONFIG: file } }).llm.model).toBe('qwen2.5-72b');
  });

  it('reports unknown settings, unreadable and non-JSON config files', () => {
    expect(() => loadConfig({ env: {}, configFile: tempJson({ temporal: { adress: 'x:1' } }) })).toThrow(
      /temporal\.adress .*unknown setting/,
    );
    expect(() => loadConfig({ env: {}, configFile: '/nonexistent/medaction.json' })).toThrow(/cannot be read \(ENOENT\)/);
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    expect(() => loadConfig({ env: {}, configFile: bad })).toThrow(/not valid JSON/);
  });
});

describe('Secret', () => {
  it('shows a placeholder in every printed form and reveals only on request', () => {
    const secret = new Secret('sk-very-secret');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ key: secret })).toBe('{"key":"[redacted]"}');
    expect(inspect({ key: secret })).not.toContain('sk-very-secret');
    expect(secret.reveal()).toBe('sk-very-secret');
  });

  it('keeps configured secrets out of a serialised configuration', () => {
    const config = loadConfig({
      env: { MEDACTION_LLM_API_KEY: 'sk-live-123', MEDACTION_NEO4J_PASSWORD: 'pw-456789', MEDACTION_TEMPORAL_API_KEY: 'tc-789' },
    });
    const printed = JSON.stringify(config) + inspect(config, { depth: 10 });
    for (const value of ['sk-live-123', 'pw-456789', 'tc-789']) expect(printed).not.toContain(value);
  });
});

function tempJson(value: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'medaction.json');
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}
