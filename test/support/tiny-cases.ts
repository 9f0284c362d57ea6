import fs from 'node:fs';
import path from 'node:path';
import { serializeCases } from '../../core/cases/case-file';
import { newCase, type Case } from '../../core/cases/model';

/** Three small cases whose findings and diagnoses the tiny KG (tiny-kg.ts) knows: builds on them are checkable by hand. */
export const TINY_CASES: Case[] = [
  newCase({
    id: 'tiny-pneumonia',
    source: 'test',
    o1: [{ title: 'Presentation', text: 'A 60-year-old man with wet cough and fever.' }],
    menu: [
      { id: 'm1', category: 'imaging', name: 'Chest X-ray', aliases: [], result: 'Right lower lobe consolidation.' },
      { id: 'm2', category: 'exam', name: 'Lung auscultation', aliases: [], result: 'Crackles over the right base.' },
    ],
    gold: { short: 'bacterial pneumonia', long: 'bacterial pneumonia' },
    metadata: {},
  }),
  newCase({
    id: 'tiny-uti',
    source: 'test',
    o1: [{ title: 'Presentation', text: 'A 30-year-old woman with dysuria and fever.' }],
    menu: [
      { id: 'm1', category: 'lab', name: 'Urinalysis', aliases: [], result: 'Positive leukocyte esterase and nitrites.' },
      { id: 'm2', category: 'microbiology', name: 'Urine culture', aliases: [], result: 'Escherichia coli over 100,000 CFU/mL.' },
    ],
    gold: { short: 'urinary tract infection', long: 'urinary tract infection' },
    metadata: {},
  }),
  newCase({
    id: 'tiny-mi',
    source: 'test',
    o1: [{ title: 'Presentation', text: 'A 58-year-old man with crushing chest pain.' }],
    menu: [
      { id: 'm1', category: 'lab', name: 'Troponin', aliases: [], result: 'Increased circulating troponin concentration.' },
      { id: 'm2', category: 'imaging', name: 'Chest X-ray', aliases: [], result: 'Normal chest radiograph.' },
    ],
    gold: { short: 'myocardial infarction', long: 'myocardial infarction' },
    metadata: {},
  }),
];

export function writeTinyCases(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'tiny-cases.jsonl');
  fs.writeFileSync(file, serializeCases(TINY_CASES));
  return file;
}
