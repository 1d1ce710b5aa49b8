import * as core from '@shipyard/platform/core';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type DeploymentStrategy,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { formatDuration } from '@shipyard/platform/duration';
import { isSameService, shortTaskDefinition } from '@shipyard/ecs/names';
import { lastSuccessfulRevision, ServiceEventStream, stableTaskDefinition } from '@shipyard/ecs/deployments';
import { ConfigError, DeploymentFailure, describeError } from '@shipyard/platform/errors';
import { poll } from '@shipyard/platform/poll';
import { Input } from './constants';
import { checkBakeMinutes, type Inputs } from './inputs';
import type { Strategy } from './parse';

/** Everything about one service decided before anything changes. */
export interface ServicePlan {
  /** The name as given in the input. */
  name: string;
  service: Service;
  currentTaskDefinitionArn: string;
  /** The revision the service was last stable on: where a rollback goes (never "revision − 1"). */
  knownGood?: string;
  /** The strategy this deployment runs with (the service's own, or the one the input sets). */
  strategy: DeploymentStrategy;
  /** Sent with UpdateService when the inputs change the deployment configuration. */
  deploymentConfiguration?: DeploymentConfiguration;
  /** The deployment pauses after the test traffic shift, waiting for ContinueServiceDeployment. */
  pausesForTest: boolean;
  events: ServiceEventStream;
}

const ECS_STRATEGY: Record<Exclude<Strategy, 'auto'>, DeploymentStrategy> = {
  rolling: 'ROLLING',
  'blue-green': 'BLUE_GREEN',
  linear: 'LINEAR',
  canary: 'CANARY',
};
const MINUTE_MS = 60_000;
const IN_FLIGHT_POLL = { minIntervalMs: 5_000, maxIntervalMs: 15_000 };
const SERVICES_PER_CALL = 10;

export const TEST_PAUSE_STAGE = 'POST_TEST_TRAFFIC_SHIFT';

export function isPauseAtTest(hook: DeploymentLifecycleHook): boolean {
  return hook.targetType === 'PAUSE' && (hook.lifecycleStages ?? []).includes(TEST_PAUSE_STAGE);
}

async function describeCluster(ecs: ECSClient, cluster: string, region: string): Promise<void> {
  const response = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
  const found = response.clusters?.[0];
  if (!found || found.status === 'INACTIVE') {
    throw new ConfigError(`Cluster "${cluster}" does not exist in ${region} (input "${Input.Cluster}").`);
  }
  if (found.status !== 'ACTIVE') throw new DeploymentFailure(`Cluster "${cluster}" is ${found.status}, not ACTIVE.`);
}

async function describeServices(ecs: ECSClient, cluster: string, names: string[]): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += SERVICES_PER_CALL) batches.push(names.slice(i, i + SERVICES_PER_CALL));
  await Promise.all(
    batches.map(async (batch) => {
      const response = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }));
      for (const service of response.services ?? []) {
        const name = batch.find((n) => isSameService(n, service));
        if (name) found.set(name, service);
      }
    }),
  );
  const missing = names.filter((name) => !found.has(name) || found.get(name)?.status === 'INACTIVE');
  if (missing.length) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    throw new ConfigError(
      `Service${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'do' : 'does'} not exist in cluster "${cluster}" (input "${Input.Service}").`,
    );
  }
  for (const [name, service] of found) {
    if (service.status !== 'ACTIVE') throw new DeploymentFailure(`Service "${name}" is ${service.status}, not ACTIVE.`);
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller !== 'ECS') {
      throw new ConfigError(
        `Service "${name}" uses the ${controller} deployment controller; Shipyard deploys services with the ECS ` +
          'controller (rolling, or native blue-green, linear and canary).',
      );
    }
  }
  return found;
}

/** A description of the deployment in flight, or undefined when the service is settled. */
export function inFlight(service: Service): string | undefined {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (deployments.length <= 1 && primary?.rolloutState !== 'IN_PROGRESS') return undefined;
  if (primary?.rolloutState === 'COMPLETED')
    return `${deployments.length} deployments are still active (old tasks draining)`;
  const busy = primary ?? deployments[0];
  return `${busy?.id ?? 'a deployment'} of ${busy?.taskDefinition ?? 'an unknown revision'} is ${busy?.rolloutState ?? 'IN_PROGRESS'}`;
}

async function settledServices(
  ecs: ECSClient,
  inputs: Inputs,
  signal: AbortSignal | undefined,
): Promise<Map<string, Service>> {
  let services = await describeServices(ecs, inputs.cluster, inputs.services);
  const busy = () => [...services].flatMap(([name, s]) => (inFlight(s) ? [`"${name}": ${inFlight(s)}`] : []));
  if (busy().length === 0) return services;
  if (inputs.mode !== 'deploy') {
    core.warning(`A deployment is in flight (${busy().join('; ')}); the ${inputs.mode} compares with what runs now.`);
    return services;
  }
  if (!inputs.waitForInFlight) {
    throw new DeploymentFailure(
      `A deployment is already in flight (${busy().join('; ')}): set "${Input.WaitForInFlight}: true" to wait for it, or retry later.`,
    );
  }
  core.info(`Waiting for the deployment in flight to finish: ${busy().join('; ')}`);
  await poll({
    describe: async () => (services = await describeServices(ecs, inputs.cluster, inputs.services)),
    isDone: () => busy().length === 0,
    timeoutMs: inputs.timeoutMs,
    signal,
    ...IN_FLIGHT_POLL,
    waitingFor: 'the deployment already in flight',
  });
  return services;
}

/** The deployment configuration to send, or undefined when the inputs leave the service's own untouched. */
export function configurationChange(
  name: string,
  service: Service,
  inputs: Inputs,
): { strategy: DeploymentStrategy; change?: DeploymentConfiguration; pausesForTest: boolean } {
  const current = service.deploymentConfiguration ?? {};
  const strategy = inputs.strategy === 'auto' ? (current.strategy ?? 'ROLLING') : ECS_STRATEGY[inputs.strategy];
  const change: DeploymentConfiguration = {};
  if (strategy !== (current.strategy ?? 'ROLLING')) change.strategy = strategy;
  if (strategy !== 'ROLLING') {
    const advanced = (service.loadBalancers ?? []).some((lb) => lb.advancedConfiguration?.alternateTargetGroupArn);
    const serviceConnect = (service.deployments ?? []).some((d) => d.serviceConnectConfiguration?.enabled);
    if (!advanced && !serviceConnect) {
      throw new ConfigError(
        `Service "${name}" cannot deploy ${strategy}: it has no load balancer with an advancedConfiguration ` +
          '(alternate target group, listener rules, role) and no Service Connect. Configure the service for ' +
          `blue/green first, or use "${Input.Strategy}: rolling".`,
      );
    }
    if (inputs.bakeTimeMs !== undefined) {
      const minutes = checkBakeMinutes(inputs.bakeTimeMs);
      if (minutes !== current.bakeTimeInMinutes) change.bakeTimeInMinutes = minutes;
    }
  } else if (inputs.bakeTimeMs !== undefined && inputs.verify.urls.length === 0) {
    throw new ConfigError(
      `Input "${Input.BakeTime}" on a rolling deployment is the time Shipyard keeps checking "${Input.VerifyUrl}" ` +
        `after the rollout, but "${Input.VerifyUrl}" is empty (service "${name}" deploys ROLLING).`,
    );
  }
  const hooks = current.lifecycleHooks ?? [];
  let pausesForTest = strategy !== 'ROLLING' && hooks.some(isPauseAtTest);
  if (inputs.addTestPauseHook && strategy !== 'ROLLING' && !pausesForTest) {
    const timeoutInMinutes = Math.max(5, Math.ceil((2 * inputs.verify.timeoutMs) / MINUTE_MS));
    change.lifecycleHooks = [
      ...hooks,
      {
        targetType: 'PAUSE',
        lifecycleStages: [TEST_PAUSE_STAGE],
        timeoutConfiguration: { timeoutInMinutes, action: 'ROLLBACK' },
      },
    ];
    pausesForTest = true;
  }
  if (inputs.verify.testUrls.length && strategy !== 'ROLLING' && !pausesForTest) {
    core.notice(
      `Service "${name}" has no PAUSE hook at ${TEST_PAUSE_STAGE}, so production traffic may shift before the ` +
        `"${Input.VerifyTestUrl}" check ends; set "${Input.AddTestPauseHook}: true" to make the deployment wait for it.`,
    );
  }
  const changed = Object.keys(change).length > 0;
  return { strategy, change: changed ? { ...current, ...change } : undefined, pausesForTest };
}

async function knownGoodRevision(
  ecs: ECSClient,
  cluster: string,
  name: string,
  service: Service,
): Promise<string | undefined> {
  const stable = stableTaskDefinition(service);
  if (stable) return stable;
  try {
    return await lastSuccessfulRevision(ecs, { cluster, service: name });
  } catch (error) {
    core.warning(`No last known-good revision for "${name}": ${describeError(error)}`);
    return undefined;
  }
}

/** Describes the cluster and the services and decides everything per service; changes nothing. */
export async function planServices(
  ecs: ECSClient,
  inputs: Inputs,
  region: string,
  signal?: AbortSignal,
): Promise<ServicePlan[]> {
  // Both at once; a missing cluster is reported as such even though DescribeServices fails on it too.
  const [cluster, described] = await Promise.allSettled([
    describeCluster(ecs, inputs.cluster, region),
    settledServices(ecs, inputs, signal),
  ]);
  if (cluster.status === 'rejected') throw cluster.reason;
  if (described.status === 'rejected') throw described.reason;
  const services = described.value;
  return Promise.all(
    inputs.services.map(async (name): Promise<ServicePlan> => {
      const service = services.get(name) as Service;
      const { strategy, change, pausesForTest } = configurationChange(name, service, inputs);
      const knownGood = await knownGoodRevision(ecs, inputs.cluster, name, service);
      const current = service.taskDefinition ?? '';
      const lastGood = knownGood
        ? ` (last known-good ${shortTaskDefinition(knownGood)})`
        : ' (no known-good revision found)';
      const bake =
        change?.bakeTimeInMinutes !== undefined
          ? `, bake time ${formatDuration(change.bakeTimeInMinutes * MINUTE_MS)}`
          : '';
      core.info(`${name}: runs ${shortTaskDefinition(current)}${lastGood}, deploys ${strategy}${bake}`);
      return {
        name,
        service,
        currentTaskDefinitionArn: current,
        knownGood,
        strategy,
        deploymentConfiguration: change,
        pausesForTest,
        events: new ServiceEventStream(service.events),
      };
    }),
  );
}
