import stableStringify from 'fast-json-stable-stringify';
import lexicon from '../data/oracle/test-lexicon.json';
import reveals from '../data/metrics/test-reveals.json';
import { METRICS_VERSION } from '../core/metrics/trajectory-metrics';
import { ORACLE_RULES_VERSION } from '../core/oracle/oracle';
import { JUDGE_PROMPT_VERSION, judgementSchema } from '../core/dataset/judge-prompt';
import { PROMPTS_VERSION } from '../core/policy/prompts';
import { boundedSchemaOf, strictSchemaOf } from '../core/policy/strict-schema';
import { turnSchemaFor } from '../core/policy/turn';
import { sha256 } from '../stores/case-cache';

/**
 * Versions of the domain tables a build's answers and scores depend on, by content: a changed table is
 * a changed configuration (a resumed build refuses it unless `--force`), so no build mixes two oracles'
 * answers or two grounding tables' scores.
 */
export const tableHash = (table: unknown): string => sha256(stableStringify(table)).slice(0, 12);

/** The oracle's rules and its test lexicon (data/oracle/test-lexicon.json). */
export const ORACLE_VERSION = `${ORACLE_RULES_VERSION}+lexicon-${tableHash(lexicon)}`;

/** The metric definitions and the grounding table they read (data/metrics/test-reveals.json). */
export const METRICS_TABLES_VERSION = `${METRICS_VERSION}+reveals-${tableHash(reveals)}`;

/** The doctor's prompts and the structured-output schemas its replies are asked for (core/policy/strict-schema.ts). */
export const PROMPTS_AND_SCHEMA_VERSION = `${PROMPTS_VERSION}+schema-${tableHash(
  [turnSchemaFor(false), turnSchemaFor(true)].map((s) => [strictSchemaOf(s), boundedSchemaOf(s)]),
)}`;

/** The LLM judge's prompt and the schema of its verdicts. */
export const JUDGE_PROMPT_AND_SCHEMA_VERSION = `${JUDGE_PROMPT_VERSION}+schema-${tableHash([
  strictSchemaOf(judgementSchema),
  boundedSchemaOf(judgementSchema),
])}`;
