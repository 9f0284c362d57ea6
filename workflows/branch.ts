import { explore, type BranchInput, type BranchResult } from './explore';

/** A branch of a case's tree: one line of turns from `start` down, with child branches for the others. */
export async function branchWorkflow(input: BranchInput): Promise<BranchResult> {
  return explore(input, branchWorkflow);
}
