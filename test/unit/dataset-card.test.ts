import cardSources from '../../data/dataset-card/sources.json';
import type { BuildSettings } from '../../core/dataset/build-settings';
import { buildReport } from '../../core/dataset/report';
import { FeatureInference } from '../../core/export/features';
import { datasetCard, licencesOf, sizeCategory, type CardInput, type CardSources } from '../../core/export/dataset-card';

/** The dataset card an export writes: a Hugging Face header load_dataset reads, numbers from the report. */
const settings = {
  buildId: 'b1',
  configHash: 'cfg',
  forced: [],
  policy: 'openai',
  model: 'gpt-x',
  temperature: 0.7,
  branching: 3,
  maxTurns: 5,
  nodeBudget: 60,
  seed: 0,
  pruneDivergent: true,
  judge: 'kg',
  judgeModel: null,
  judgeVersion: 'judge-v9',
  metricsVersion: 'metrics-v3',
  oracleVersion: 'oracle-v2',
  promptsVersion: 'doctor-v1',
  filter: { minDtc: 0.5 },
  casesFile: '/somewhere/cases.jsonl',
  casesHash: 'a'.repeat(64),
  limit: null,
  llmPrices: null,
} as unknown as BuildSettings;

const input = (overrides: Partial<CardInput> = {}): CardInput => ({
  report: buildReport(settings, [], []),
  settings,
  format: 'openai',
  reasoning: 'include',
  files: [
    { split: 'train', path: 'train.jsonl', rows: 1200, trajectories: 1200, cases: 90, bytes: 5_000_000 },
    { split: 'validation', path: 'validation.jsonl', rows: 130, trajectories: 130, cases: 10, bytes: 540_000 },
  ],
  features: (() => {
    const inferred = new FeatureInference();
    inferred.add({ messages: [{ role: 'user', content: 'o1' }] });
    return inferred.columns;
  })(),
  selection: { kinds: ['complete', 'prefix'], dedup: true, filtered: 4, duplicates: 7 },
  split: { spec: 'train=0.9,validation=0.1', seed: 3 },
  sources: [
    { source: 'medrbench', cases: 60 },
    { source: 'agentclinic', cases: 40 },
  ],
  table: cardSources as CardSources,
  medactionVersion: '0.1.0',
  ...overrides,
});

const header = (card: string) => card.split('---')[1] as string;

describe('the dataset card', () => {
  it("names the split files and their row counts in the YAML header, with the case sources' licences", () => {
    const card = datasetCard(input());
    expect(header(card)).toContain(
      [
        'configs:',
        '- config_name: default',
        '  data_files:',
        '  - split: train',
        '    path: "train.jsonl"',
        '  - split: validation',
        '    path: "validation.jsonl"',
      ].join('\n'),
    );
    expect(header(card)).toMatch(
      /- name: train\n {4}num_bytes: 5000000\n {4}num_examples: 1200\n {2}- name: validation\n {4}num_bytes: 540000\n {4}num_examples: 130/,
    );
    expect(header(card)).toContain('  features:\n  - name: "messages"\n    list:\n    - name: "role"\n      dtype: string\n');
    expect(header(card)).toMatch(/license:\n- cc-by-sa-4.0\n- mit\n/);
    expect(header(card)).toContain('size_categories:\n- 1K<n<10K');
    expect(card).toContain('ShareAlike');
    expect(card).toContain('| duplicates dropped (identical assistant turns) | 7 |');
    expect(card).toContain('| judge version | judge-v9 |');
  });

  it('leaves an empty split out of the configs and says so', () => {
    const card = datasetCard(
      input({
        files: [
          { split: 'train', path: 'train.jsonl', rows: 5, trajectories: 5, cases: 2, bytes: 100 },
          { split: 'test', path: 'test.jsonl', rows: 0, trajectories: 0, cases: 0, bytes: 0 },
        ],
      }),
    );
    expect(header(card)).not.toContain('test.jsonl');
    expect(card).toContain('Empty splits, left out of the configs (a loader cannot read an empty file): test.');
  });

  it('marks a source it does not know, and unknown sources, as licence "other" to check', () => {
    const table = cardSources as CardSources;
    expect(licencesOf([{ source: 'my-hospital', cases: 3 }], table)).toEqual(['other']);
    expect(licencesOf(null, table)).toEqual(['other']);
    const card = datasetCard(input({ sources: [{ source: 'my-hospital', cases: 3 }] }));
    expect(card).toContain('| my-hospital | 3 | unknown | not known to MedAction: check before sharing |');
  });

  it('leaves the features out and says why when the rows have no one schema', () => {
    const card = datasetCard(input({ features: null, featureConflict: 'row.turn: int64 in one row, string in another' }));
    expect(header(card)).not.toContain('features:');
    expect(header(card)).toContain('num_examples: 1200');
    expect(card).toContain('No features on this card: the rows have no one schema (row.turn: int64 in one row, string in another)');
  });

  it('puts row counts in Hugging Face size categories', () => {
    expect([0, 999, 1000, 32681, 100000].map(sizeCategory)).toEqual(['n<1K', 'n<1K', '1K<n<10K', '10K<n<100K', '100K<n<1M']);
  });
});
