// Every workflow the worker registers. Workflow code is bundled and sandboxed: it may import
// activity *types* only, and nothing that does I/O.
export { smokeWorkflow } from './smoke';
export { buildDatasetWorkflow } from './build';
export { caseWorkflow } from './case';
export { branchWorkflow } from './branch';
export { evaluationWorkflow, episodeWorkflow } from './evaluation';
