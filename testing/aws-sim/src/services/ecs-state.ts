import { randomBytes } from 'node:crypto';
import { AwsError } from '../errors';
import type { ImageScenario } from '../scenarios';
import type { RequestContext } from '../service';
import type { World } from '../world';

/** ECS state shared by the ECS operation modules. Shapes follow @aws-sdk/client-ecs; times are Dates. */

export interface Tag {
  key: string;
  value: string;
}

export interface Cluster {
  clusterArn: string;
  clusterName: string;
  region: string;
  status: 'ACTIVE';
  settings: { name: string; value: string }[];
  tags: Tag[];
}

export interface LogConfiguration {
  logDriver: string;
  options?: Record<string, string>;
}

export interface PortMapping {
  containerPort?: number;
  hostPort?: number;
  protocol?: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  logConfiguration?: LogConfiguration;
  healthCheck?: unknown;
  portMappings?: PortMapping[];
  [field: string]: unknown;
}

/** A registered revision: the request echoed back plus what ECS adds. */
export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  containerDefinitions: ContainerDefinition[];
  networkMode?: string;
  cpu?: string;
  memory?: string;
  requiresCompatibilities?: string[];
  compatibilities: string[];
  registeredAt: Date;
  deregisteredAt?: Date;
  [field: string]: unknown;
}

export interface ContainerState {
  name: string;
  image: string;
  essential: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  definition: ContainerDefinition;
  scenario: ImageScenario;
  /** Where the awslogs driver writes, if used. */
  log?: { region: string; group: string; stream: string; createGroup: boolean };
}

export type TaskEvent = 'healthy' | 'stopped';

export interface Task {
  taskArn: string;
  id: string;
  clusterArn: string;
  region: string;
  taskDefinitionArn: string;
  group: string;
  startedBy?: string;
  launchType: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  createdAt: Date;
  pullStartedAt?: Date;
  pullStoppedAt?: Date;
  startedAt?: Date;
  stoppingAt?: Date;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerState[];
  cpu?: string;
  memory?: string;
  overrides: Record<string, unknown>;
  tags: Tag[];
  /** Launched by RunTask: containers follow `scenario.oneOff`. */
  oneOff: boolean;
  /** Passed its health checks (or has none): may receive traffic and counts as healthy for deployments. */
  healthy: boolean;
  /** Stopped without anyone asking (crash, failed health check, failed start). */
  failed: boolean;
  serviceArn?: string;
  deploymentId?: string;
  revisionArn?: string;
  /** The load-balanced container and its target group, for service tasks behind a load balancer. */
  target?: { containerName: string; containerPort?: number; targetGroupArn?: string };
  healthCheckGraceSeconds: number;
  onEvent?: (task: Task, event: TaskEvent) => void;
}

export interface ServiceEvent {
  id: string;
  createdAt: Date;
  message: string;
}

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: Date;
  updatedAt: Date;
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: unknown;
  capacityProviderStrategy?: unknown;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  serviceDeploymentArn: string;
  revisionArn: string;
  /** Replacement launches wait until then after a failure, like the scheduler's back-off. */
  launchNotBefore: number;
  /** When a reconcile is already scheduled for the end of the back-off. */
  retryAt?: number;
  /** Stopped with ABORT: no more launches or stops. */
  frozen?: boolean;
}

export interface LoadBalancer {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName?: string;
  containerPort?: number;
  advancedConfiguration?: {
    alternateTargetGroupArn?: string;
    productionListenerRule?: string;
    testListenerRule?: string;
    roleArn?: string;
  };
}

export interface LifecycleHook {
  targetType?: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages?: string[];
  hookDetails?: unknown;
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' };
}

export interface DeploymentConfiguration {
  deploymentCircuitBreaker?: {
    enable?: boolean;
    rollback?: boolean;
    thresholdConfiguration?: { type?: string; value?: number };
  };
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  alarms?: { alarmNames?: string[]; enable?: boolean; rollback?: boolean };
  strategy?: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  bakeTimeInMinutes?: number;
  lifecycleHooks?: LifecycleHook[];
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  [field: string]: unknown;
}

export interface Service {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  region: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  launchType?: string;
  capacityProviderStrategy?: unknown;
  platformVersion?: string;
  networkConfiguration?: unknown;
  loadBalancers: LoadBalancer[];
  deploymentConfiguration: DeploymentConfiguration;
  deploymentController: { type: string };
  healthCheckGracePeriodSeconds?: number;
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  createdAt: Date;
  createdBy: string;
  tags: Tag[];
  events: ServiceEvent[];
  deployments: Deployment[];
  currentServiceDeployment?: string;
  /** What a circuit-breaker rollback returns to: the last deployment that completed. */
  lastCompleted?: { deploymentId: string; taskDefinition: string; revisionArn: string };
  /** Round-robin position for the live endpoints. */
  servedRequests: number;
  /** Whether "has reached a steady state." was posted since the last change. */
  steady: boolean;
}

export interface ServiceRevision {
  serviceRevisionArn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  launchType?: string;
  platformVersion?: string;
  loadBalancers: LoadBalancer[];
  networkConfiguration?: unknown;
  containerImages: { containerName: string; image: string }[];
  createdAt: Date;
}

export interface HookDetail {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn?: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt?: Date;
  timeoutAction?: 'CONTINUE' | 'ROLLBACK';
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export interface ServiceDeploymentRecord {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  stoppedAt?: Date;
  updatedAt: Date;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage?: string;
  hookDetails: HookDetail[];
  deploymentConfiguration: DeploymentConfiguration;
  rollback?: { reason: string; startedAt: Date; serviceRevisionArn: string };
  circuitBreaker: { status: string; failureCount: number; threshold: number };
  alarms: { status: string; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** Requested listener weights per revision ARN (blue/green). */
  weights: Record<string, { production: number; test: number }>;
  /** The internal deployment that carries the target revision. */
  deploymentId: string;
  /** Bumped whenever the deployment changes course, so stale timers do nothing. */
  generation: number;
  /** Where a blue/green (linear, canary) deployment is: stage, phase within it, traffic step. */
  blueGreen?: { stageIndex: number; phase: 'entering' | 'working' | 'hooks'; step: number };
}

export class EcsState {
  readonly clusters = new Map<string, Cluster>();
  /** `<region>/<family>` → revisions in order (index = revision - 1). */
  readonly families = new Map<string, TaskDefinition[]>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  readonly revisions = new Map<string, ServiceRevision>();
  /** Tags of task definitions (and anything else without its own tag list), by ARN. */
  readonly tags = new Map<string, Tag[]>();
  /** RunTask's idempotency: the tasks a client token started, so a retried request starts no second set. */
  readonly runTaskTokens = new Map<string, { request: string; taskArns: string[] }>();
}

export const ecsState = (world: World): EcsState => world.store('ecs', () => new EcsState());

export const clientException = (message: string) => new AwsError('ClientException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);

export function ecsArn(ctx: Pick<RequestContext, 'region' | 'accountId'>, resource: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:${resource}`;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const ids = {
  task: () => randomBytes(16).toString('hex'),
  digits: (n: number) => Array.from(randomBytes(n), (b, i) => (i === 0 ? 1 + (b % 9) : b % 10)).join(''),
  deployment: () => `ecs-svc/${ids.digits(19)}`,
  alphanumeric: (n: number) => Array.from(randomBytes(n), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join(''),
  event: () => crypto.randomUUID(),
};

/** The last path segment of an ARN, or the value itself when it is a plain name. */
export const nameOf = (ref: string): string => (ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref);

export function findCluster(state: EcsState, ctx: Pick<RequestContext, 'region' | 'accountId'>, ref?: string) {
  const arn = ref?.startsWith('arn:') ? ref : ecsArn(ctx, `cluster/${ref || 'default'}`);
  return state.clusters.get(arn);
}

export function requireCluster(state: EcsState, ctx: Pick<RequestContext, 'region' | 'accountId'>, ref?: string) {
  const cluster = findCluster(state, ctx, ref);
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

export function serviceArnFor(cluster: Cluster, ref: string): string {
  if (ref.startsWith('arn:')) return ref;
  return cluster.clusterArn.replace(/:cluster\//, ':service/') + `/${ref}`;
}

export function requireService(state: EcsState, cluster: Cluster, ref: string | undefined, requireActive = true) {
  if (!ref) throw invalidParameter('service must be specified.');
  const service = state.services.get(serviceArnFor(cluster, ref));
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  if (requireActive && service.status !== 'ACTIVE')
    throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  return service;
}

/** Resolves `family`, `family:revision` or an ARN; a bare family means its latest ACTIVE revision. */
export function findTaskDefinition(
  state: EcsState,
  ctx: Pick<RequestContext, 'region' | 'accountId'>,
  ref: string | undefined,
): TaskDefinition | undefined {
  if (!ref) return undefined;
  const match = /^(?:arn:aws:ecs:([^:]+):\d+:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(ref);
  if (!match) return undefined;
  const revisions = state.families.get(`${match[1] ?? ctx.region}/${match[2]}`) ?? [];
  if (match[3]) return revisions[Number(match[3]) - 1];
  return revisions.filter((td) => td.status === 'ACTIVE').at(-1);
}

export function requireTaskDefinition(
  state: EcsState,
  ctx: Pick<RequestContext, 'region' | 'accountId'>,
  ref?: string,
) {
  const td = findTaskDefinition(state, ctx, ref);
  if (!td) throw clientException('Unable to describe task definition.');
  return td;
}

/**
 * requireTaskDefinition as `operation` sees it: a revision named explicitly (`family:revision` or its ARN) may not be
 * visible yet just after RegisterTaskDefinition (lags.unknownNewTaskDefinition), and then answers as unknown.
 */
export function requireVisibleTaskDefinition(
  state: EcsState,
  ctx: Pick<RequestContext, 'region' | 'accountId' | 'world'>,
  ref: string | undefined,
  operation: string,
) {
  const td = requireTaskDefinition(state, ctx, ref);
  const explicit = ref!.includes(':');
  if (explicit && ctx.world.lagging.read('unknownNewTaskDefinition', td.taskDefinitionArn, operation))
    throw clientException('Unable to describe task definition.');
  return td;
}

export function tasksOf(state: EcsState, predicate: (task: Task) => boolean): Task[] {
  const out: Task[] = [];
  for (const task of state.tasks.values()) if (predicate(task)) out.push(task);
  return out;
}

/** Pages an array with an opaque numeric token, as ECS list operations do. */
export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, limit = 100) {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > limit)) {
    throw invalidParameter(`maxResults must be between 1 and ${limit}.`);
  }
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid nextToken.');
  const end = start + (maxResults ?? limit);
  return {
    page: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64') : undefined,
  };
}
