import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that MedAction workflows set, so the Temporal UI can filter and show
 * builds (e.g. `BuildId = "b1" AND ExecutionStatus = "Failed"`). The local dev server registers them
 * at start (services/temporal-server.ts); on a cluster or Temporal Cloud register them once with
 * `temporal operator search-attribute create` (see the README). The SQLite-backed dev server allows
 * at most 10 Keyword and 3 Int custom attributes.
 */
export const BuildIdAttr = defineSearchAttributeKey('BuildId', SearchAttributeType.KEYWORD);
export const CaseIdAttr = defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD);
export const BranchPathAttr = defineSearchAttributeKey('BranchPath', SearchAttributeType.KEYWORD);
export const CasesDoneAttr = defineSearchAttributeKey('CasesDone', SearchAttributeType.INT);
export const CasesFailedAttr = defineSearchAttributeKey('CasesFailed', SearchAttributeType.INT);
export const TrajectoriesKeptAttr = defineSearchAttributeKey('TrajectoriesKept', SearchAttributeType.INT);

export const MEDACTION_SEARCH_ATTRIBUTES = [
  BuildIdAttr,
  CaseIdAttr,
  BranchPathAttr,
  CasesDoneAttr,
  CasesFailedAttr,
  TrajectoriesKeptAttr,
] as const;
