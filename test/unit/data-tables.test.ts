import { configurationDifferences, resolveBuildSettings } from '../../cli/resolve-settings';
import { METRICS_TABLES_VERSION, ORACLE_VERSION, tableHash } from '../../cli/data-tables';
import { loadConfig } from '../../config';
import { readLexicon } from '../../core/oracle/lexicon';
import lexicon from '../../data/oracle/test-lexicon.json';
import { BUNDLED_CASES_FILE } from '../../stores/bundled-cases';

describe("the domain tables in a build's configuration", () => {
  it('version the oracle lexicon and the grounding table by content: an edited table is another configuration, refused on resume', () => {
    const settings = resolveBuildSettings(loadConfig({}), { cases: BUNDLED_CASES_FILE, limit: 2 });
    expect(settings.oracleVersion).toBe(ORACLE_VERSION);
    expect(settings.metricsVersion).toBe(METRICS_TABLES_VERSION);
    // One phrase more in one concept changes the hash.
    const edited = structuredClone(lexicon);
    edited.concepts[0]!.phrases.push('bloodwork');
    expect(ORACLE_VERSION).toContain(`lexicon-${tableHash(lexicon)}`);
    expect(ORACLE_VERSION).not.toContain(`lexicon-${tableHash(edited)}`);
    const older = { ...settings, oracleVersion: `lexicon-${tableHash(edited)}` };
    expect(configurationDifferences(older, settings)).toEqual([
      `oracleVersion: "lexicon-${tableHash(edited)}" → "${ORACLE_VERSION}"`,
    ]);
  });

  it('refuses a malformed lexicon, naming the problem', () => {
    const bad = structuredClone(lexicon);
    bad.concepts[1]!.id = bad.concepts[0]!.id;
    expect(() => readLexicon(bad)).toThrow(`concept '${bad.concepts[0]!.id}' appears twice`);
    const upper = structuredClone(lexicon);
    upper.concepts[0]!.phrases[0] = 'CBC';
    expect(() => readLexicon(upper)).toThrow(/concepts\.0\.phrases\.0: phrases are lower case/);
    const member = structuredClone(lexicon);
    (member.concepts[0] as { members?: string[] }).members = ['no_such_test'];
    expect(() => readLexicon(member)).toThrow("unknown member 'no_such_test'");
  });
});
