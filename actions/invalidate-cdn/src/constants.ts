/** The action's name in failure messages (`invalidate-cdn: …`) and in the AWS user agent. */
export const ACTION = 'invalidate-cdn';

/** Input names, exactly as in action.yml. */
export const Input = {
  Distributions: 'distributions',
  Paths: 'paths',
  ChangedFiles: 'changed-files',
  ChangedFilesFile: 'changed-files-file',
  FilesRoot: 'files-root',
  UrlPrefix: 'url-prefix',
  OriginPath: 'origin-path',
  DirectoryIndex: 'directory-index',
  CostMode: 'cost-mode',
  PathBudget: 'path-budget',
  Wait: 'wait',
  Timeout: 'timeout',
  IdempotencyScope: 'idempotency-scope',
} as const;

export const Output = {
  InvalidationIds: 'invalidation-ids',
  PathsSubmitted: 'paths-submitted',
  PathsRequested: 'paths-requested',
  EstimatedCost: 'estimated-cost',
} as const;
