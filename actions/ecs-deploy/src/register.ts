import * as core from '@shipyard/platform/core';
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionRequest,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { ConfigError, describeError, isAwsSdkError, mayHaveBeenApplied } from '@shipyard/platform/errors';
import { retryPassing } from '@shipyard/platform/poll';
import { isUnknownTaskDefinition, unknownTaskDefinitionYet } from '@shipyard/ecs/consistency';
import { untilVisible } from '@shipyard/platform/consistency';
import { shortTaskDefinition, taskDefinitionFamily, taskDefinitionInputError } from '@shipyard/ecs/names';
import { quote } from '@shipyard/platform/inputs';
import { Input } from './constants';
import type { Inputs } from './inputs';
import type { ServicePlan } from './plan';
import { contentKey, tagsKey } from './normalize';
import {
  changesForContainers,
  checkContainersExistSomewhere,
  containerNames,
  renderChanges,
  renderTaskDefinition,
} from './taskdef';

/** What each service moves from and to. */
export interface Revisions {
  current: Map<string, TaskDefinition>;
  next: Map<string, TaskDefinition>;
  /** ARNs this run registered (one per distinct rendered task definition), not the revisions it reused. */
  registered: string[];
}

/** `web:7` for an ARN; a planned revision (not registered) has none yet. */
export function revisionName(arn: string | undefined): string {
  return arn ? shortTaskDefinition(arn) : 'new revision';
}

interface Described {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

async function describe(ecs: ECSClient, reference: string): Promise<Described> {
  const response = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
  return { taskDefinition: response.taskDefinition as TaskDefinition, tags: response.tags ?? [] };
}

async function describeExisting(ecs: ECSClient, reference: string, region: string): Promise<TaskDefinition> {
  try {
    // A revision an earlier step registered moments ago may be unknown for a short while (eventual consistency).
    const described = await untilVisible(() => describe(ecs, reference), {
      isUnseen: isUnknownTaskDefinition,
      onRetry: unknownTaskDefinitionYet(reference),
    });
    return described.taskDefinition;
  } catch (error) {
    throw taskDefinitionInputError(error, Input.TaskDefinition, reference, region);
  }
}

/** The family's latest ACTIVE revision with its tags; undefined for a new family or one with none ACTIVE. */
async function describeLatest(ecs: ECSClient, family: string): Promise<Described | undefined> {
  try {
    return await describe(ecs, family);
  } catch (error) {
    if (isAwsSdkError(error) && error.name === 'ClientException') return undefined;
    throw error;
  }
}

/** The family of a revision ARN; an ARN this cannot read describes itself, which is as good for reuse. */
const familyOf = (arn: string) => taskDefinitionFamily(arn) ?? arn;

/** The latest ACTIVE revision of each family not already in `known`, read in parallel (undefined: none yet). */
async function latestRevisions(
  ecs: ECSClient,
  families: string[],
  known: Map<string, Described | undefined> = new Map(),
): Promise<Map<string, Described | undefined>> {
  const missing = [...new Set(families)].filter((family) => !known.has(family));
  return new Map(
    await Promise.all(missing.map(async (family) => [family, await describeLatest(ecs, family)] as const)),
  );
}

/**
 * Whether `request` would register exactly `revision`: same content AND same tags. Tags count here (unlike against
 * what a service runs) because git-sha, run-url and deployed-by are the revision's provenance, which rollback reads:
 * they are equal within one workflow run, so `mode: register` then `mode: deploy` share one revision, while another
 * run (or other tags) with the same content still gets its own, truthful, revision.
 */
function isSameRevision(revision: Described, request: RegisterTaskDefinitionRequest): boolean {
  return (
    contentKey(revision.taskDefinition) === contentKey(request) && tagsKey(revision.tags) === tagsKey(request.tags)
  );
}

/** How long a registration keeps trying through passing faults. */
const REGISTER_PATIENCE_MS = 60_000;

/**
 * RegisterTaskDefinition is not idempotent: an SDK retry after a lost answer registers a second, identical revision.
 * So `registrar` (a client that makes one attempt per call) sends it, and after an answer that may have been lost the
 * family's latest revision is read: when it is the one just asked for, it is used; otherwise the call is tried again.
 */
async function register(
  ecs: ECSClient,
  registrar: ECSClient,
  request: RegisterTaskDefinitionRequest,
): Promise<TaskDefinition> {
  return retryPassing(
    async () => {
      try {
        return (await registrar.send(new RegisterTaskDefinitionCommand(request))).taskDefinition as TaskDefinition;
      } catch (error) {
        const latest = mayHaveBeenApplied(error) ? await describeLatest(ecs, request.family!) : undefined;
        if (latest && isSameRevision(latest, request)) return latest.taskDefinition;
        throw error;
      }
    },
    {
      timeoutMs: REGISTER_PATIENCE_MS,
      onPassingError: (error) => core.info(`RegisterTaskDefinition: ${describeError(error)}; trying again`),
    },
  );
}

/**
 * Works out the revision every service moves to, registering one revision per distinct rendered task definition
 * (none when the rendered one equals what a service already runs or the family's latest revision, none for an
 * existing revision). Every render is checked before the first registration.
 */
export async function resolveRevisions(
  ecs: ECSClient,
  registrar: ECSClient,
  inputs: Inputs,
  plans: ServicePlan[],
  region: string,
): Promise<Revisions> {
  // One read per family, its latest revision, all at once: a service running that revision (the usual case) needs no
  // second read, and a registration compares with it. Only a service on an older revision is read again.
  const currentArns = [...new Set(plans.map((p) => p.currentTaskDefinitionArn))];
  const latestByFamily = await latestRevisions(ecs, currentArns.map(familyOf));
  const described = new Map(
    await Promise.all(
      currentArns.map(async (arn) => {
        const latest = latestByFamily.get(familyOf(arn));
        return [arn, latest?.taskDefinition.taskDefinitionArn === arn ? latest : await describe(ecs, arn)] as const;
      }),
    ),
  );
  const current = new Map(plans.map((p) => [p.name, described.get(p.currentTaskDefinitionArn)!.taskDefinition]));
  const source = inputs.taskDefinition;

  if (source.kind === 'existing') {
    const existing = await describeExisting(ecs, source.reference, region);
    return { current, next: new Map(plans.map((p) => [p.name, existing])), registered: [] };
  }

  // The request each service needs, by content, before anything is registered.
  const changes = renderChanges(inputs);
  const origins = new Map(
    plans.map((p) => [
      p.currentTaskDefinitionArn,
      `the current task definition ${revisionName(p.currentTaskDefinitionArn)} of service "${p.name}"`,
    ]),
  );
  // Lines apply to the task definitions that have the container they name: with several services, and in register
  // mode, where a workflow registers one service's revision (to migrate with it) from every image of the release.
  const perContainer = source.kind === 'current' && (described.size > 1 || inputs.mode === 'register');
  const names = new Set([...described.values()].flatMap((d) => containerNames(d.taskDefinition)));
  if (perContainer && inputs.mode !== 'register') checkContainersExistSomewhere(changes, names, [...origins.values()]);
  const images = Object.keys(changes.images);
  if (perContainer && inputs.mode === 'register' && images.length && !images.some((c) => names.has(c))) {
    throw new ConfigError(
      `Input "images" names no container of ${[...origins.values()].join('; ')} (it has ${[...names].map((n) => quote(n)).join(', ')}): ` +
        'nothing would change in the registered revision.',
    );
  }
  const wanted = new Map<string, RegisterTaskDefinitionRequest>();
  const keyOfService = new Map<string, string>();
  for (const plan of plans) {
    const base = described.get(plan.currentTaskDefinitionArn)!;
    const rendered =
      source.kind === 'document'
        ? renderTaskDefinition(source.document, changes, source.origin, source.text)
        : renderTaskDefinition(
            { ...base.taskDefinition, tags: base.tags },
            perContainer ? changesForContainers(changes, containerNames(base.taskDefinition)) : changes,
            origins.get(plan.currentTaskDefinitionArn)!,
          );
    const key = contentKey(rendered);
    keyOfService.set(plan.name, key);
    if (key !== contentKey(base.taskDefinition) && !wanted.has(key)) wanted.set(key, rendered);
  }

  // Plan decides exactly as register does (reuse the family's latest revision when identical, else register one),
  // but registers nothing: the rendered request stands in for the revision it would become (it has no ARN yet).
  const registered = new Map<string, TaskDefinition>();
  const newArns: string[] = [];
  const families = [...wanted.values()].map((request) => request.family!);
  for (const [family, latest] of await latestRevisions(ecs, families, latestByFamily))
    latestByFamily.set(family, latest);
  await Promise.all(
    [...wanted].map(async ([key, request]) => {
      const latest = latestByFamily.get(request.family!);
      if (latest && isSameRevision(latest, request)) {
        const name = revisionName(latest.taskDefinition.taskDefinitionArn);
        core.info(
          `${inputs.mode === 'plan' ? 'Would reuse' : 'Reusing'} ${name}: identical to what this run would register`,
        );
        registered.set(key, latest.taskDefinition);
        return;
      }
      if (inputs.mode === 'plan') {
        core.info(`Would register a new revision of ${request.family}`);
        registered.set(key, request);
        return;
      }
      const taskDefinition = await register(ecs, registrar, request);
      core.info(`Registered ${taskDefinition.taskDefinitionArn}`);
      registered.set(key, taskDefinition);
      newArns.push(taskDefinition.taskDefinitionArn!);
    }),
  );
  const next = new Map(
    plans.map((plan) => [plan.name, registered.get(keyOfService.get(plan.name)!) ?? current.get(plan.name)!]),
  );
  for (const plan of plans) {
    if (!registered.has(keyOfService.get(plan.name)!)) {
      core.info(
        `${plan.name}: the rendered task definition equals ${revisionName(plan.currentTaskDefinitionArn)}; nothing to register`,
      );
    }
  }
  return { current, next, registered: newArns };
}
