/** The action's name in failure messages (`rollback: …`) and in the AWS user agent. */
export const ACTION = 'rollback';

/** Input names, exactly as in action.yml. */
export const Input = {
  Cluster: 'cluster',
  Service: 'service',
  Target: 'target',
  DryRun: 'dry-run',
  ShowEnvValues: 'show-env-values',
  Wait: 'wait',
  Timeout: 'timeout',
  VerifyUrl: 'verify-url',
  VerifyStatus: 'verify-status',
  VerifyBody: 'verify-body',
  VerifySuccesses: 'verify-successes',
  VerifyInterval: 'verify-interval',
  VerifyTimeout: 'verify-timeout',
  GithubToken: 'github-token',
  Environment: 'environment',
  EnvironmentUrl: 'environment-url',
  Region: 'region',
  MaxAttempts: 'max-attempts',
} as const;

export const Output = {
  RolledBackTo: 'rolled-back-to',
  RolledBackFrom: 'rolled-back-from',
  Status: 'status',
} as const;

/** The `status` output. */
export type RollbackStatus = 'succeeded' | 'failed' | 'dry-run' | 'started' | 'cancelled';
