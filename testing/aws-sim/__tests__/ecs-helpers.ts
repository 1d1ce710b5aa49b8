import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { ManualClock } from '../src/clock';
import { expectModelConformance } from '../src/conformance';
import { startSim, type Sim, type SimOptions } from '../src/server';

/** Shared set-up for the ECS / Logs contract tests: a sim and real SDK clients pointed at it. */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const TARGET_GROUP = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web-blue/0123456789abcdef`;
export const ALTERNATE_TARGET_GROUP = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web-green/fedcba9876543210`;
export const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0123'], securityGroups: ['sg-0123'], assignPublicIp: 'DISABLED' as const },
};

export interface SimClients {
  sim: Sim;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  clock?: ManualClock;
  close(): Promise<void>;
}

export async function startWithClients(
  options: SimOptions & { manual?: boolean; maxAttempts?: number } = {},
): Promise<SimClients> {
  const clock = options.manual ? new ManualClock() : undefined;
  const sim = await startSim({ ...options, clock: options.clock ?? clock });
  const config = {
    endpoint: sim.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIASIMULATED0000000', secretAccessKey: 'aws-sim-secret-access-key' },
    maxAttempts: options.maxAttempts,
  };
  const ecs = new ECSClient(config);
  const logs = new CloudWatchLogsClient(config);
  return {
    sim,
    ecs,
    logs,
    clock,
    async close() {
      ecs.destroy();
      logs.destroy();
      await sim.close();
      expectModelConformance(sim.control.requests());
    },
  };
}

export function fargateTaskDefinition(
  family: string,
  image: string,
  extra: Partial<RegisterTaskDefinitionCommandInput> = {},
) {
  return {
    family,
    networkMode: 'awsvpc' as const,
    requiresCompatibilities: ['FARGATE' as const],
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080 }] }],
    ...extra,
  };
}

/** The target groups' deregistration delay these tests were written with (AWS's default is 300 s). */
export const DRAIN_SECONDS = 30;

/** Seed with one steady service `web` (2 tasks of `example/web:v1`) in cluster `prod`, optionally behind a load balancer. */
export function webSeed(service: Record<string, unknown> = {}) {
  return {
    elbv2: {
      targetGroups: [TARGET_GROUP, ALTERNATE_TARGET_GROUP].map((targetGroupArn) => ({
        targetGroupArn,
        deregistrationDelaySeconds: DRAIN_SECONDS,
      })),
    },
    ecs: {
      clusters: ['prod'],
      taskDefinitions: [fargateTaskDefinition('web', 'example/web:v1')],
      services: [
        {
          cluster: 'prod',
          serviceName: 'web',
          taskDefinition: 'web',
          desiredCount: 2,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
          ...service,
        },
      ],
    },
  };
}

export const blueGreenLoadBalancers = [
  {
    targetGroupArn: TARGET_GROUP,
    containerName: 'app',
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: ALTERNATE_TARGET_GROUP,
      productionListenerRule: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/web/1/2/3`,
      testListenerRule: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/web/1/2/4`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructure`,
    },
  },
];

/** Manual clock: moves simulated time in steps until `done()` holds (checked after every step). */
export async function advanceUntil(
  clients: SimClients,
  done: () => Promise<boolean> | boolean,
  stepMs = 1_000,
  limitMs = 1_800_000,
) {
  for (let elapsed = 0; elapsed <= limitMs; elapsed += stepMs) {
    if (await done()) return elapsed;
    clients.sim.control.advance(stepMs);
  }
  throw new Error(`condition not reached within ${limitMs} simulated ms`);
}

export async function fetchText(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}
