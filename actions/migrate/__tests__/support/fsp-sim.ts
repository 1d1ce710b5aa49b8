/**
 * An aws-sim shaped like a Flight Schedule Pro staging account: cluster `fsp-staging`, task definition family
 * `fsp-api-staging` (Fargate, awsvpc, awslogs) whose container `api` runs the migration, the service `fsp-api` whose
 * network the migration copies, and the RDS instance `fsp-staging-db`. What the container does is decided by the
 * scenario of its image, one tag per test.
 */
import { join } from 'node:path';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RegisterTaskDefinitionCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { runAction, type ActionRun, type RunActionOptions } from '@shipyard/testkit/run-action';
import { startSim, type Sim } from '@shipyard/aws-sim/server';
import type { SimClock } from '@shipyard/aws-sim/clock';
import type { ImageScenario } from '@shipyard/aws-sim/scenarios';
import type { Lags } from '@shipyard/aws-sim/lags';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CLUSTER = 'fsp-staging';
export const FAMILY = 'fsp-api-staging';
export const LOG_GROUP = '/ecs/fsp-api-staging';
export const SERVICE_NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0fsp1', 'subnet-0fsp2'],
    securityGroups: ['sg-0fspapi'],
    assignPublicIp: 'DISABLED' as const,
  },
};
/** What the harness sets as GITHUB_SHA and GITHUB_RUN_ID. */
export const RUN = { sha: /^[0-9a-f]{40}$/, runId: '1000000001' };

export const image = (tag: string) => `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/fsp-api:${tag}`;

export interface FspSimOptions {
  /** Scenarios for the images; the task definition's `api` container runs `image(tag)`. */
  tag: string;
  scenarios: ImageScenario[];
  /** A second container listed before `api`, e.g. a log router. */
  sidecar?: { name: string; image: string; essential?: boolean };
  /** Simulated seconds per real second. */
  timeScale?: number;
  /** Replaces the scaled clock, e.g. one held until the action reports what it saw. */
  clock?: SimClock;
  snapshotSeconds?: number;
  /** Eventually consistent answers (aws-sim's lags). */
  lags?: Lags;
}

export function startFspSim(options: FspSimOptions): Promise<Sim> {
  const awslogs = {
    logDriver: 'awslogs',
    options: { 'awslogs-group': LOG_GROUP, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
  };
  const containers = [
    ...(options.sidecar ? [{ ...options.sidecar, logConfiguration: awslogs }] : []),
    {
      name: 'api',
      image: image(options.tag),
      essential: true,
      command: ['node', 'server.js'],
      logConfiguration: awslogs,
    },
  ];
  return startSim({
    lags: options.lags,
    timeScale: options.timeScale ?? 20,
    clock: options.clock,
    scenarios: options.scenarios,
    seed: {
      ecs: {
        region: REGION,
        clusters: [CLUSTER],
        taskDefinitions: [
          {
            family: FAMILY,
            networkMode: 'awsvpc',
            requiresCompatibilities: ['FARGATE'],
            cpu: '256',
            memory: '512',
            executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
            containerDefinitions: containers,
          },
        ],
        services: [
          {
            cluster: CLUSTER,
            serviceName: 'fsp-api',
            taskDefinition: FAMILY,
            desiredCount: 1,
            capacityProviderStrategy: [
              { capacityProvider: 'FARGATE', weight: 1, base: 1 },
              { capacityProvider: 'FARGATE_SPOT', weight: 4 },
            ],
            networkConfiguration: SERVICE_NETWORK,
          },
        ],
      },
      logs: { region: REGION, logGroups: [LOG_GROUP] },
      rds: {
        instances: [
          {
            identifier: 'fsp-staging-db',
            region: REGION,
            engine: 'postgres',
            snapshotSeconds: options.snapshotSeconds ?? 60,
          },
        ],
        clusters: [
          {
            identifier: 'fsp-staging-aurora',
            region: REGION,
            engine: 'aurora-postgresql',
            snapshotSeconds: options.snapshotSeconds ?? 60,
          },
        ],
      },
    },
  });
}

/** The inputs of a typical migration step; tests add or override some. */
export const MIGRATE_INPUTS = {
  cluster: CLUSTER,
  'task-definition': FAMILY,
  container: 'api',
  command: '["npm","run","migrate"]',
  'copy-from-service': 'fsp-api',
};

export function migrate(
  sim: Sim,
  inputs: Record<string, string> = {},
  options: Partial<RunActionOptions> = {},
): Promise<ActionRun> {
  return runAction({
    actionDir: join(__dirname, '..', '..'),
    inputs: { ...MIGRATE_INPUTS, ...inputs },
    env: sim.env,
    ...options,
  });
}

function ecsClient(sim: Sim): ECSClient {
  return new ECSClient({
    endpoint: sim.endpoint,
    region: REGION,
    credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY },
  });
}

/** Starts a task of the same migration group from outside the action, as another workflow run would. */
export async function startOtherMigration(sim: Sim, startedBy: string): Promise<string> {
  const ecs = ecsClient(sim);
  try {
    const { tasks } = await ecs.send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: FAMILY,
        launchType: 'FARGATE',
        networkConfiguration: SERVICE_NETWORK,
        startedBy,
      }),
    );
    return tasks?.[0]?.taskArn as string;
  } finally {
    ecs.destroy();
  }
}

/** Registers the family's next revision (a copy of the latest), as a deploy step before the migration would. */
export async function registerNextRevision(sim: Sim): Promise<string> {
  const ecs = ecsClient(sim);
  try {
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }));
    const { family, networkMode, requiresCompatibilities, cpu, memory, executionRoleArn, containerDefinitions } =
      taskDefinition!;
    const request = {
      family,
      networkMode,
      requiresCompatibilities,
      cpu,
      memory,
      executionRoleArn,
      containerDefinitions,
    };
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(request as RegisterTaskDefinitionCommandInput));
    return `${FAMILY}:${registered.taskDefinition!.revision}`;
  } finally {
    ecs.destroy();
  }
}

/** The task as DescribeTasks shows it now, tags included. */
export async function describeTask(sim: Sim, taskArn: string): Promise<Task> {
  const ecs = ecsClient(sim);
  try {
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn], include: ['TAGS'] }),
    );
    return tasks?.[0] as Task;
  } finally {
    ecs.destroy();
  }
}
