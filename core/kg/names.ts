/**
 * Name normalisation shared by the KG builder (same-name joins) and entity linking: lower case, accents
 * folded, British spellings and punctuation unified, so "Guillain–Barré syndrome" and "guillain barre
 * syndrome" meet, as do "oesophagus"/"esophagus" and "anaemia"/"anemia".
 */

const SPELLINGS: [RegExp, string][] = [
  [/\boesophag/g, 'esophag'],
  [/\bhaem/g, 'hem'],
  [/aemia\b/g, 'emia'],
  [/\boedema\b/g, 'edema'],
  [/\bfoetal\b/g, 'fetal'],
  [/\bleukaemi/g, 'leukemi'],
  [/\btumour/g, 'tumor'],
  [/\bpaediatric/g, 'pediatric'],
  [/\bcaesarean\b/g, 'cesarean'],
  [/\bdiarrhoea\b/g, 'diarrhea'],
  [/\bhaemorrhag/g, 'hemorrhag'],
  [/isation\b/g, 'ization'],
  [/\bdistension\b/g, 'distention'],
  [/\bmyelogenous\b/g, 'myeloid'],
  [/\bc\.? ?diff(?:icile)?\b/g, 'clostridium difficile'],
];

export function normalizeName(text: string): string {
  let s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]s\b/g, 's');
  for (const [pattern, replacement] of SPELLINGS) s = s.replace(pattern, replacement);
  return s
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/**
 * OMIM-style inverted names ("Aortic aneurysm, abdominal" → "abdominal aortic aneurysm";
 * "Thumb, distal hyperextensibility of" → "distal hyperextensibility of thumb"). Only two-part names
 * are inverted; a name whose second part is a type or number ("…, type 2", "…, 1") is left alone.
 */
export function invertedName(name: string): string | undefined {
  const parts = name.split(',').map((p) => p.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  if (/\b(type|group|form|autosomal|x-linked|susceptibility|with|without|\d)/i.test(parts[1])) return undefined;
  return `${parts[1]} ${parts[0]}`.replace(/\s+/g, ' ');
}
