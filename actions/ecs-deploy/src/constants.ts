/** The action's name in failure messages (`ecs-deploy: …`) and in the AWS user agent. */
export const ACTION = 'ecs-deploy';

/** Input names, exactly as in action.yml. */
export const Input = {
  Mode: 'mode',
  Cluster: 'cluster',
  Service: 'service',
  TaskDefinition: 'task-definition',
  Container: 'container',
  Images: 'images',
  Env: 'env',
  Secrets: 'secrets',
  Cpu: 'cpu',
  Memory: 'memory',
  Command: 'command',
  Tags: 'tags',
  Strategy: 'strategy',
  BakeTime: 'bake-time',
  Timeout: 'timeout',
  VerifyUrl: 'verify-url',
  VerifyTestUrl: 'verify-test-url',
  VerifyStatus: 'verify-status',
  VerifyBody: 'verify-body',
  VerifySuccesses: 'verify-successes',
  VerifyInterval: 'verify-interval',
  VerifyTimeout: 'verify-timeout',
  AddTestPauseHook: 'add-test-pause-hook',
  AutoRollback: 'auto-rollback',
  RollbackOnCancel: 'rollback-on-cancel',
  Wait: 'wait',
  WaitForInFlight: 'wait-for-in-flight',
  DesiredCount: 'desired-count',
  ForceNewDeployment: 'force-new-deployment',
  KeepRevisions: 'keep-revisions',
  ShowEnvValues: 'show-env-values',
  GithubToken: 'github-token',
  Environment: 'environment',
  EnvironmentUrl: 'environment-url',
  Region: 'region',
} as const;

export const Output = {
  TaskDefinitionArn: 'task-definition-arn',
  PreviousTaskDefinitionArn: 'previous-task-definition-arn',
  DeploymentIds: 'deployment-ids',
  Status: 'status',
  RolledBack: 'rolled-back',
  DurationSeconds: 'duration-seconds',
} as const;

/** What main saves for the post step (core.saveState names). */
export const State = {
  /** JSON of the deployments started so far (see state.ts). */
  Deployments: 'deployments',
  /** Set once main reached a verdict itself: the post step then has nothing to do. */
  Settled: 'settled',
} as const;

/** Tags Shipyard adds to every task definition it registers (user tags with the same key win). */
export const ProvenanceTag = {
  GitSha: 'git-sha',
  RunUrl: 'run-url',
  DeployedBy: 'deployed-by',
} as const;

/** Attempts per AWS call: deploys poll for minutes and must ride out throttling (retries are adaptive). */
export const AWS_MAX_ATTEMPTS = 8;
