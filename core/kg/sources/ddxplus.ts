import type { HasFindingEdge, KgNode } from '../model';

interface DdxCondition {
  condition_name?: string;
  'cond-name-eng'?: string;
  'icd10-id'?: string;
  symptoms?: Record<string, unknown>;
  antecedents?: Record<string, unknown>;
}

interface DdxEvidence {
  name?: string;
  question_en?: string;
}

/**
 * DDXPlus conditions (Disease nodes `DDXPLUS:<slug>`, their ICD-10 codes as `ICD10:` xrefs) and evidences
 * (Finding nodes `DDXPLUS:E_n`, named from their English question, the question kept as a synonym), with
 * HAS_FINDING edges for each condition's symptoms and antecedents.
 */
export function parseDdxplus(conditionsJson: string, evidencesJson: string): { nodes: KgNode[]; hasFinding: HasFindingEdge[] } {
  const conditions = JSON.parse(conditionsJson) as Record<string, DdxCondition>;
  const evidences = JSON.parse(evidencesJson) as Record<string, DdxEvidence>;
  const nodes: KgNode[] = [];
  for (const [key, evidence] of Object.entries(evidences)) {
    const question = evidence.question_en?.trim() ?? key;
    nodes.push({
      id: `DDXPLUS:${evidence.name ?? key}`,
      kind: 'finding',
      name: findingNameFromQuestion(question),
      source: 'DDXPLUS',
      synonyms: [question],
      xrefs: [],
    });
  }
  const hasFinding: HasFindingEdge[] = [];
  for (const [key, condition] of Object.entries(conditions)) {
    const name = condition['cond-name-eng'] ?? condition.condition_name ?? key;
    const id = `DDXPLUS:${slug(key)}`;
    const codes = (condition['icd10-id'] ?? '')
      .split(/[,;]/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    const synonyms = condition.condition_name && condition.condition_name !== name ? [condition.condition_name] : [];
    nodes.push({ id, kind: 'disease', name, source: 'DDXPLUS', synonyms, xrefs: codes.map((c) => `ICD10:${c}`) });
    for (const e of [...Object.keys(condition.symptoms ?? {}), ...Object.keys(condition.antecedents ?? {})]) {
      hasFinding.push({ disease: id, finding: `DDXPLUS:${e}`, source: 'DDXPLUS' });
    }
  }
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, hasFinding: hasFinding.filter((e) => ids.has(e.finding)) };
}

/**
 * "Do you have a fever (either felt or measured with a thermometer)?" → "fever";
 * "Have you recently had a loss of appetite…?" → "loss of appetite…". Questions that do not start with a
 * yes/no stem keep their text.
 */
export function findingNameFromQuestion(question: string): string {
  const stripped = question
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[?:.]+\s*$/, '')
    .replace(
      /^(?:do|did|does|have|has|are|were|is|was)\s+(?:you|your)\s+(?:recently\s+|ever\s+|constantly\s+|currently\s+)?(?:had|have|feel|felt|been|experienced?|experiencing|notice|noticed|suffer(?:ed)?\s+from)?\s*/i,
      '',
    )
    .replace(/^(?:a|an|any|the)\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return stripped.length >= 3 ? stripped : question;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
}
