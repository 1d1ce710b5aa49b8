import * as core from '@shipyard/platform/core';
import {
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  type ServiceEvent,
  type Tag,
} from '@aws-sdk/client-ecs';
import { primaryTaskDefinition } from '@shipyard/ecs/deployments';
import { diffTaskDefinitions } from '@shipyard/ecs/diff';
import { isSameService } from '@shipyard/ecs/names';
import {
  currentTaskDefinition,
  describeCurrentDeployment,
  describeTaskDefinitionWithTags,
  resolveRollbackTarget,
  type ResolvedRollbackTarget,
} from '@shipyard/ecs/rollback/resolve';
import { chooseRollbackMethod, type CurrentDeployment } from '@shipyard/ecs/rollback/target';
import { ConfigError, isError } from '@shipyard/platform/errors';
import type { Inputs } from './inputs';
import { GIT_SHA_TAG, planLines, type Report, type ServiceReport } from './report';

// Phase 1: read every service and resolve every target before anything changes. One unresolvable service stops
// the whole run with nothing changed. Loads the ECS SDK: main imports it only after the inputs are valid.

export interface ServicePlan {
  entry: ServiceReport;
  target: ResolvedRollbackTarget;
  current?: CurrentDeployment;
  /** The service as planned: what an answer that predates the rollback looks like (ECS is eventually consistent). */
  service: Service;
  /** The service's events as planned, so watching streams only newer ones. */
  events: ServiceEvent[];
}

const SERVICES_PER_CALL = 10;

function gitSha(tags: Tag[]): string | undefined {
  return tags.find((tag) => tag.key === GIT_SHA_TAG)?.value || undefined;
}

async function describeServices(ecs: ECSClient, cluster: string, names: string[]): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  for (let i = 0; i < names.length; i += SERVICES_PER_CALL) {
    const batch = names.slice(i, i + SERVICES_PER_CALL);
    let response;
    try {
      response = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }));
    } catch (error) {
      if (isError(error) && error.name === 'ClusterNotFoundException') {
        throw new ConfigError(`Cluster "${cluster}" does not exist (in this account and region).`);
      }
      throw error;
    }
    for (const service of response.services ?? []) {
      const name = batch.find((n) => isSameService(n, service));
      if (name) found.set(name, service);
    }
  }
  return found;
}

async function planService(
  ecs: ECSClient,
  inputs: PlanInputs,
  entry: ServiceReport,
  service: Service | undefined,
): Promise<ServicePlan> {
  const { cluster, target } = inputs;
  if (!service || service.status !== 'ACTIVE') {
    const state = service ? `is ${service.status}` : 'was not found';
    throw new ConfigError(`Service "${entry.service}" ${state} in cluster "${cluster}".`);
  }
  const current = await describeCurrentDeployment(ecs, service);
  const resolved = await resolveRollbackTarget(ecs, { cluster, service, current }, target);
  const fromArn = currentTaskDefinition({ service, current });
  const from = fromArn ? await describeTaskDefinitionWithTags(ecs, fromArn) : { tags: [] };
  const toArn = resolved.taskDefinition.taskDefinitionArn;
  const method = chooseRollbackMethod(toArn, primaryTaskDefinition(service), current);
  Object.assign(entry, {
    fromArn,
    toArn,
    basis: resolved.basis,
    method,
    fromGitSha: gitSha(from.tags),
    toGitSha: gitSha(resolved.tags),
    changes: diffTaskDefinitions(from.taskDefinition, resolved.taskDefinition, { showEnvValues: inputs.showEnvValues }),
    result: method === 'none' ? 'unchanged' : 'planned',
  } satisfies Partial<ServiceReport>);
  return { entry, target: resolved, current, service, events: service.events ?? [] };
}

/** Resolves every service's target (in parallel) and prints the plan; throws one ConfigError naming every service
 * that cannot be resolved. */
type PlanInputs = Pick<Inputs, 'cluster' | 'target' | 'showEnvValues'>;

export async function planRollback(ecs: ECSClient, inputs: PlanInputs, report: Report): Promise<ServicePlan[]> {
  const services = await describeServices(
    ecs,
    inputs.cluster,
    report.services.map((s) => s.service),
  );
  const settled = await Promise.allSettled(
    report.services.map((entry) => planService(ecs, inputs, entry, services.get(entry.service))),
  );
  const unexpected = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof ConfigError));
  if (unexpected?.status === 'rejected') throw unexpected.reason;
  const problems = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as ConfigError).message] : []));
  if (problems.length === 1) throw new ConfigError(`${problems[0]} Nothing was changed.`);
  if (problems.length > 1) {
    throw new ConfigError(
      `Target "${report.target}" cannot be resolved for ${problems.length} of ${settled.length} services; nothing ` +
        `was changed.\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const plans = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  core.info(`Rollback plan for cluster "${inputs.cluster}", target ${report.target}:`);
  for (const plan of plans) for (const line of planLines(plan.entry)) core.info(`  ${line}`);
  return plans;
}
