/** The action's name in failure messages (`migrate: …`) and in the AWS user agent. */
export const ACTION = 'migrate';

/** Input names, exactly as in action.yml. */
export const Input = {
  Mode: 'mode',
  Region: 'region',
  Cluster: 'cluster',
  TaskDefinition: 'task-definition',
  Container: 'container',
  Command: 'command',
  Shell: 'shell',
  WorkingDirectory: 'working-directory',
  EnvironmentVariables: 'environment-variables',
  Subnets: 'subnets',
  SecurityGroups: 'security-groups',
  AssignPublicIp: 'assign-public-ip',
  LaunchType: 'launch-type',
  CapacityProviderStrategy: 'capacity-provider-strategy',
  CopyFromService: 'copy-from-service',
  StartedBy: 'started-by',
  ConcurrencyPolicy: 'concurrency-policy',
  Timeout: 'timeout',
  LogLines: 'log-lines',
  SnapshotDbInstance: 'snapshot-db-instance',
  SnapshotDbCluster: 'snapshot-db-cluster',
  SnapshotId: 'snapshot-id',
  SnapshotTimeout: 'snapshot-timeout',
  SqlDirectory: 'sql-directory',
  SqlLedgerTable: 'sql-ledger-table',
  SqlBaseline: 'sql-baseline',
} as const;

export const Output = {
  TaskArn: 'task-arn',
  ExitCode: 'exit-code',
  DurationSeconds: 'duration-seconds',
  LogGroup: 'log-group',
  LogStream: 'log-stream',
  SnapshotId: 'snapshot-id',
  SqlAppliedFiles: 'sql-applied-files',
  SqlBaselinedFiles: 'sql-baselined-files',
  SqlSkippedCount: 'sql-skipped-count',
} as const;

/** What the post step needs to stop a task the main step left running (a cancelled run). */
export const State = {
  TaskArn: 'task-arn',
  Cluster: 'cluster',
  Region: 'region',
  /** Set once the task is known to be STOPPED or StopTask was sent: the post step then has nothing to do. */
  TaskSettled: 'task-settled',
  /** Saved before RunTask goes out: if its answer never comes, the post step finds the task by this group. */
  StartedBy: 'started-by',
} as const;

/** Inputs that only make sense when the command runs as an ECS task. */
export const ECS_ONLY_INPUTS = [
  Input.Cluster,
  Input.TaskDefinition,
  Input.Container,
  Input.Subnets,
  Input.SecurityGroups,
  Input.AssignPublicIp,
  Input.LaunchType,
  Input.CapacityProviderStrategy,
  Input.CopyFromService,
  Input.StartedBy,
  Input.ConcurrencyPolicy,
] as const;

/** Inputs that only make sense when the command runs on the runner. */
export const RUNNER_ONLY_INPUTS = [
  Input.Shell,
  Input.WorkingDirectory,
  Input.SqlDirectory,
  Input.SqlLedgerTable,
  Input.SqlBaseline,
] as const;

/** Inputs that give psql the SQL files to run, instead of a command. */
export const SQL_INPUTS = [Input.SqlDirectory, Input.SqlLedgerTable, Input.SqlBaseline] as const;
