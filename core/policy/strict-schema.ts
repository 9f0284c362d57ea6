import { z } from 'zod';

/**
 * JSON schemas for strict structured outputs (OpenAI's `strict: true`, and the servers that copy it):
 * the subset of JSON Schema a strict endpoint compiles into a grammar. Every object lists all its
 * properties as required and forbids others, alternatives are `anyOf`, a literal is a one-value `enum`,
 * and bounds (string lengths, array sizes, number ranges) are left to the zod schema that validates the
 * reply: strict mode refuses most of them, and a reply out of bounds gets a repair request anyway.
 */

export type JsonSchema = { [key: string]: unknown };

/** Keywords a strict schema may use (OpenAI's supported-schemas list, bounds left out). */
const STRICT_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'description',
  'title',
  '$defs',
  '$ref',
]);

/** Keywords that carry bounds or formats: dropped, zod checks them. */
const BOUND_KEYWORDS = new Set([
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'default',
]);

/** Nesting and size limits of strict mode. */
export const STRICT_LIMITS = { depth: 10, properties: 5000, enumValues: 1000 } as const;

/** The strict-mode schema of a zod schema (its input form). */
export function strictSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...plain } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  return strictify(plain);
}

function strictify(node: unknown): JsonSchema {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if (BOUND_KEYWORDS.has(key)) continue;
    if (key === 'const') out.enum = [value];
    else if (key === 'oneOf' || key === 'anyOf') out.anyOf = (value as unknown[]).map(strictify);
    else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, strictify(v)]));
    } else if (key === 'items' || key === 'additionalProperties') out[key] = typeof value === 'object' ? strictify(value) : value;
    else if (key === '$defs')
      out.$defs = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, strictify(v)]));
    else out[key] = value;
  }
  if (out.type === 'object') {
    const properties = (out.properties ?? {}) as JsonSchema;
    const required = (out.required ?? []) as string[];
    const optional = Object.keys(properties).filter((k) => !required.includes(k));
    // Strict mode has no optional property: it would need a nullable type, which the zod schema refuses.
    if (optional.length > 0) throw new Error(`strict schema: optional properties ${optional.join(', ')}: make them required`);
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  return out;
}

/**
 * What keeps a schema from being accepted in strict mode, one line per problem with its JSON pointer
 * (empty: acceptable). Checks the rules strict endpoints enforce: an object root, only supported
 * keywords, every object closed with all properties required, no `oneOf`/`allOf`/`not`, the nesting
 * and size limits.
 */
export function strictModeProblems(schema: JsonSchema): string[] {
  const problems: string[] = [];
  const push = (at: string, problem: string) => problems.push(`${at || '(root)'}: ${problem}`);
  if (schema.type !== 'object') push('', 'the root must be an object schema');
  let properties = 0;
  const walk = (node: unknown, at: string, depth: number) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      push(at, `a schema must be an object`);
      return;
    }
    const s = node as JsonSchema;
    if (depth > STRICT_LIMITS.depth) push(at, `nested deeper than ${STRICT_LIMITS.depth} levels`);
    for (const key of Object.keys(s)) {
      if (!STRICT_KEYWORDS.has(key)) push(at, `keyword "${key}" is not supported in strict mode`);
    }
    if ('$ref' in s) return;
    if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length > STRICT_LIMITS.enumValues)) {
      push(at, `enum must be a list of at most ${STRICT_LIMITS.enumValues} values`);
    }
    if (s.anyOf !== undefined) {
      if (!Array.isArray(s.anyOf)) push(at, `anyOf must be a list`);
      else s.anyOf.forEach((alt, i) => walk(alt, `${at}/anyOf/${i}`, depth + 1));
      return;
    }
    if (s.type === undefined && s.enum === undefined) push(at, `no type`);
    if (s.type === 'object') {
      const props = (s.properties ?? {}) as JsonSchema;
      const keys = Object.keys(props);
      properties += keys.length;
      if (s.additionalProperties !== false) push(at, `additionalProperties must be false`);
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      for (const k of keys) if (!required.includes(k)) push(at, `property "${k}" must be required`);
      for (const k of required) if (!keys.includes(k)) push(at, `required "${k}" is not a property`);
      for (const k of keys) walk(props[k], `${at}/properties/${k}`, depth + 1);
    }
    if (s.type === 'array') {
      if (s.items === undefined) push(at, `an array needs items`);
      else walk(s.items, `${at}/items`, depth + 1);
    }
  };
  walk(schema, '', 1);
  for (const [name, def] of Object.entries((schema.$defs ?? {}) as JsonSchema)) walk(def, `/$defs/${name}`, 1);
  if (properties > STRICT_LIMITS.properties) push('', `more than ${STRICT_LIMITS.properties} properties`);
  return problems;
}

/**
 * The schema for servers that decode with a grammar of their own (a non-strict json_schema, llama.cpp's
 * JSON mode with a schema): the zod schema's JSON Schema with its bounds (lengths, array sizes, which
 * grammars enforce), every object closed so the grammar admits no other key.
 */
export function boundedSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...plain } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  return closeObjects(plain) as JsonSchema;
}

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== 'object' || node === null) return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closeObjects(v)]));
  return out.type === 'object' ? { ...out, additionalProperties: false } : out;
}
