/**
 * The Hugging Face `features` of an export, inferred from every row of every split as it is written.
 * Without them `datasets` infers the types from the first file's first block and casts the rest to
 * them, so a likelihood written as 1 in train and 0.5 in validation fails to load ("Float value 0.5
 * was truncated converting to int64"). Inferring over all rows gives one schema: a number field is
 * int64 only if every value is an integer, a field missing from some rows or null in them is nullable
 * (every feature is), and an object field is the union of the keys seen.
 */

export type Dtype = 'string' | 'int64' | 'float64' | 'bool' | 'null';
export type Feature =
  { kind: 'value'; dtype: Dtype } | { kind: 'struct'; fields: Map<string, Feature> } | { kind: 'list'; of: Feature };

const NULL: Feature = { kind: 'value', dtype: 'null' };

function featureOf(value: unknown, at: string): Feature {
  if (value === null || value === undefined) return NULL;
  switch (typeof value) {
    case 'string':
      return { kind: 'value', dtype: 'string' };
    case 'boolean':
      return { kind: 'value', dtype: 'bool' };
    case 'number':
      return { kind: 'value', dtype: Number.isInteger(value) ? 'int64' : 'float64' };
    case 'object': {
      if (Array.isArray(value))
        return { kind: 'list', of: value.reduce<Feature>((f, v) => merge(f, featureOf(v, `${at}[]`), `${at}[]`), NULL) };
      const fields = new Map<string, Feature>();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) fields.set(k, featureOf(v, `${at}.${k}`));
      return { kind: 'struct', fields };
    }
    default:
      throw new Error(`${at}: a ${typeof value} cannot be a dataset feature`);
  }
}

const describe = (f: Feature) => (f.kind === 'value' ? f.dtype : f.kind);

function merge(a: Feature, b: Feature, at: string): Feature {
  if (a.kind === 'value' && a.dtype === 'null') return b;
  if (b.kind === 'value' && b.dtype === 'null') return a;
  if (a.kind === 'value' && b.kind === 'value') {
    if (a.dtype === b.dtype) return a;
    const numbers = new Set<Dtype>(['int64', 'float64']);
    if (numbers.has(a.dtype) && numbers.has(b.dtype)) return { kind: 'value', dtype: 'float64' };
  }
  if (a.kind === 'list' && b.kind === 'list') return { kind: 'list', of: merge(a.of, b.of, `${at}[]`) };
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [k, f] of b.fields) fields.set(k, fields.has(k) ? merge(fields.get(k) as Feature, f, `${at}.${k}`) : f);
    return { kind: 'struct', fields };
  }
  throw new Error(`${at}: ${describe(a)} in one row, ${describe(b)} in another; a dataset column has one type`);
}

/** Accumulates the features of rows (top-level objects). */
export class FeatureInference {
  private schema: Feature = { kind: 'struct', fields: new Map() };
  private rows = 0;
  /** Why no schema fits every row (a column with two types); the export goes on, its card without features. */
  conflict: string | null = null;

  add(row: unknown): void {
    this.rows++;
    if (this.conflict !== null) return;
    try {
      this.schema = merge(this.schema, featureOf(row, `row ${this.rows}`), 'row');
    } catch (error) {
      this.conflict = (error as Error).message;
    }
  }

  /** The columns, in the order first seen; null when the rows have no one schema. */
  get columns(): Map<string, Feature> | null {
    return this.conflict === null ? (this.schema as Extract<Feature, { kind: 'struct' }>).fields : null;
  }
}

/**
 * The features as the YAML `dataset_info.features` of a dataset card, in the form `datasets` writes
 * itself (DatasetInfo._to_yaml_dict): `dtype` for a value, `struct` for fields, `list` for a list.
 */
export function featuresYaml(columns: Map<string, Feature>, indent: string): string[] {
  const lines: string[] = [];
  const fieldLines = (name: string, f: Feature, pad: string) => {
    lines.push(`${pad}- name: ${JSON.stringify(name)}`);
    body(f, `${pad}  `);
  };
  // The keys of one feature (after its name, or inside a `list:` mapping), at `pad`.
  const body = (f: Feature, pad: string) => {
    if (f.kind === 'value') lines.push(`${pad}dtype: ${f.dtype === 'null' ? "'null'" : f.dtype}`);
    else if (f.kind === 'struct') {
      lines.push(`${pad}struct:`);
      for (const [k, v] of f.fields) fieldLines(k, v, pad);
    } else if (f.of.kind === 'value') lines.push(`${pad}list: ${f.of.dtype === 'null' ? "'null'" : f.of.dtype}`);
    else if (f.of.kind === 'struct') {
      lines.push(`${pad}list:`);
      for (const [k, v] of f.of.fields) fieldLines(k, v, pad);
    } else {
      lines.push(`${pad}list:`);
      body(f.of, `${pad}  `);
    }
  };
  for (const [name, f] of columns) fieldLines(name, f, indent);
  return lines;
}
