/**
 * Clinical names of diseases that the KG sources spell differently (DO and HPO carry few synonyms in
 * the bundled files). Each adds a variant of the mention. Patterns run on normalised text.
 */
function rule(pattern: string, term: string): [RegExp, string] {
  return [new RegExp(`\\b(?:${pattern})\\b`), term];
}

export const DISEASE_SYNONYMS: [RegExp, string][] = [
  rule('adhesive capsulitis(?: of (?:the )?shoulder)?', 'frozen shoulder'),
  rule('osteoclastoma|giant cell tumou?r of (?:the )?bone', 'bone giant cell tumor'),
  rule('roseola(?: infantum)?|sixth disease', 'exanthema subitum'),
  rule('membranous nephropathy', 'membranous glomerulonephritis'),
  rule('testicular torsion|torsion of (?:the )?testis', 'spermatic cord torsion'),
  rule('(?:fulminant|acute) (?:hepatic|liver) failure', 'acute liver failure'),
  rule('heart attack', 'myocardial infarction'),
  rule('cerebrovascular accident|brain attack', 'stroke'),
  rule('kidney stones?|renal stones?|renal calculi|urolithiasis', 'nephrolithiasis'),
  rule('gallstones?|gall stones?', 'cholelithiasis'),
  rule('whooping cough', 'pertussis'),
  rule('shingles', 'herpes zoster'),
  rule('chicken ?pox', 'chickenpox'),
  rule('glandular fever|mono(?:nucleosis)?', 'infectious mononucleosis'),
  rule('fifth disease|slapped cheek syndrome', 'erythema infectiosum'),
  rule('lou gehrig(?:s)? disease', 'amyotrophic lateral sclerosis'),
  rule('pancoast(?: tumou?r)?|apical lung (?:tumou?r|cancer|carcinoma)', 'pancoast tumor'),
  rule('de quervain(?:s)? tenosynovitis', 'de quervain disease'),
  rule('complex partial seizures?', 'complex partial epilepsy'),
  rule('pes anserine bursitis', 'pes anserinus bursitis'),
  rule('graves disease', 'graves disease'),
  rule('hashimoto(?:s)? thyroiditis', 'hashimoto thyroiditis'),
  rule('lupus', 'systemic lupus erythematosus'),
  rule('hydatid (?:cyst|disease)', 'cystic echinococcosis'),
  rule('toxic shock', 'toxic shock syndrome'),
  rule('pink eye', 'conjunctivitis'),
];
