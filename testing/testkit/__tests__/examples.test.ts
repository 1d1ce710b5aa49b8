import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCondition, interpolate, toText, type ExpressionScope } from '@shipyard/testkit/expressions';
import {
  GUIDES,
  type EnvironmentName,
  type TaskDefinitionFacts,
  type TriggerFacts,
} from '@shipyard/scenarios/seed-guides';
import {
  actionInputs,
  EXAMPLES,
  inputProblems,
  readJson,
  readYaml,
  REMOTE_ACTION,
  REMOTE_WORKFLOW,
  reusableWorkflow,
  stepsOf,
  type Job,
  type Workflow,
} from './workflow-files';

// The seed-system examples against their guides (seed-guides.ts), value by value: the workflows read as GitHub would
// for each event the guide describes (expressions evaluated), the task definition files, and each scenario.json (the
// aws-sim seed the scenario tests deploy into). Every comparison is an equality with the guide's values, so a name
// that drifts on either side fails. Plus: callers pass what our workflows and actions declare and grant what they
// need.

const SYSTEMS = Object.keys(GUIDES).sort();
const ENVIRONMENTS: EnvironmentName[] = ['staging', 'production'];

interface ContainerDefinition {
  name: string;
  image: string;
  portMappings: { containerPort: number }[];
  healthCheck: { command: string[] };
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  logConfiguration: { logDriver: string; options: Record<string, string> };
}

interface TaskDefinition {
  family: string;
  networkMode: string;
  requiresCompatibilities: string[];
  cpu: string;
  memory: string;
  executionRoleArn: string;
  taskRoleArn: string;
  containerDefinitions: ContainerDefinition[];
}

interface Scenario {
  description: string;
  ecs?: {
    region: string;
    clusters: (string | { clusterName: string })[];
    taskDefinitions: TaskDefinition[];
    services: { cluster: string; serviceName: string; taskDefinition: string; desiredCount: number }[];
  };
  logs?: { region: string; logGroups: string[] };
  ecr?: { repositories: { name: string; region: string }[]; images: { repository: string; tag: string }[] };
  cloudfront?: { distributions: { id: string; aliases?: string[] }[] };
  rds?: { instances?: { identifier: string }[]; clusters?: { identifier: string }[] };
}

type With = Record<string, unknown>;

const workflowsOf = (system: string) => {
  const dir = join(EXAMPLES, system, '.github/workflows');
  return readdirSync(dir).map((file) => ({ file, workflow: readYaml<Workflow>(join(dir, file)) }));
};
const scenarioOf = (system: string) => readJson<Scenario>(join(EXAMPLES, system, 'scenario.json'));
const list = (value: unknown) =>
  toText((value ?? '') as string)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
const environmentsOf = (call: With) => list(call.environments ?? 'staging, production');

/** Whether a workflow's `on:` starts it for the trigger (push branches, pull requests, manual runs). */
function startedBy(on: Record<string, unknown>, trigger: TriggerFacts['github']): boolean {
  if (!(trigger.event_name in on)) return false;
  if (trigger.event_name !== 'push') return true;
  const branches = (on.push as { branches?: string[] } | null)?.branches;
  return !branches || branches.includes(trigger.ref_name);
}

/**
 * The calls of one of our reusable workflows that a trigger starts, with `with:` evaluated as GitHub would: the
 * `github` context of the event, the dispatch inputs (with their defaults) of a manual run, repository variables.
 */
function callsFor(system: string, trigger: Omit<TriggerFacts, 'environments' | 'label'>, called: string): With[] {
  const facts = GUIDES[system];
  return workflowsOf(system).flatMap(({ workflow }) => {
    if (!startedBy(workflow.on as Record<string, unknown>, trigger.github)) return [];
    const declared =
      trigger.github.event_name === 'workflow_dispatch' ? (workflow.on.workflow_dispatch?.inputs ?? {}) : {};
    const inputs = Object.fromEntries(
      Object.entries(declared).map(([name, spec]) => [name, trigger.inputs?.[name] ?? spec.default ?? '']),
    );
    const scope: ExpressionScope = {
      contexts: {
        github: { ...trigger.github, repository: facts.repository },
        inputs,
        vars: {},
        needs: {},
      },
      status: { success: () => true, failure: () => false, cancelled: () => false },
    };
    const secretsScope = { ...scope, contexts: { ...scope.contexts, secrets: facts.secrets ?? {} } };
    return Object.values(workflow.jobs)
      .filter((job: Job) => REMOTE_WORKFLOW.exec(job.uses ?? '')?.[1] === called)
      .filter((job) => evaluateCondition(job.if, scope))
      .map((job) => ({
        ...(interpolate(job.with ?? {}, scope) as With),
        secrets: job.secrets === 'inherit' ? {} : (interpolate(job.secrets ?? {}, secretsScope) as With),
      }));
  });
}

/** A task definition file of the example, reduced to what a guide names. */
function taskDefinitionFacts(td: TaskDefinition): TaskDefinitionFacts {
  return {
    family: td.family,
    cpu: td.cpu,
    memory: td.memory,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    containers: Object.fromEntries(
      td.containerDefinitions.map((c) => [
        c.name,
        {
          port: c.portMappings[0]?.containerPort,
          healthCheck: c.healthCheck.command.slice(1).join(' '),
          environment: Object.fromEntries((c.environment ?? []).map(({ name, value }) => [name, value])),
          secrets: Object.fromEntries((c.secrets ?? []).map(({ name, valueFrom }) => [name, valueFrom])),
          logGroup: c.logConfiguration.options['awslogs-group'],
          logPrefix: c.logConfiguration.options['awslogs-stream-prefix'],
        },
      ]),
    ),
  };
}

/** The task families an environment deploys: the file's, or with `current` those of the seeded services. */
function familiesDeployed(system: string, call: With, environment: EnvironmentName): string[] {
  const taskDefinition = toText(call[`${environment}-task-definition`] as string);
  if (taskDefinition !== 'current') return [readJson<TaskDefinition>(join(EXAMPLES, system, taskDefinition)).family];
  const cluster = toText(call[`${environment}-cluster`] as string);
  const seeded = scenarioOf(system).ecs?.services ?? [];
  return list(call[`${environment}-services`]).map(
    (service) =>
      seeded.find((s) => s.cluster === cluster && s.serviceName === service)?.taskDefinition.split(':')[0] ?? '',
  );
}

const s3Url = (bucket: string) => (bucket === '' || bucket.startsWith('s3://') ? bucket : `s3://${bucket}`);

test('one folder per seed system, plus the image CI builds for real', () => {
  expect(readdirSync(EXAMPLES).sort()).toEqual([...SYSTEMS, 'hello'].sort());
  expect(existsSync(join(EXAMPLES, 'hello/Dockerfile'))).toBe(true);
});

test.each(SYSTEMS)(
  '%s: a README that says what is covered, where it does better, and what is out of scope',
  (system) => {
    const readme = readFileSync(join(EXAMPLES, system, 'README.md'), 'utf8');
    expect(readme).toMatch(/^## What it covers$/m);
    expect(readme).toMatch(/^## Where it differs from the guide$/m);
    expect(readme).toMatch(/^## Out of scope$/m);
  },
);

describe.each(SYSTEMS.flatMap((system) => GUIDES[system].triggers.map((trigger) => ({ system, trigger }))))(
  '$system, $trigger.label',
  ({ system, trigger }) => {
    const facts = GUIDES[system];
    const calls = callsFor(system, trigger, 'deploy.yml');

    test('deploys exactly the environments the guide deploys for this event, in order', () => {
      const deployed = ENVIRONMENTS.filter((env) => calls.some((call) => environmentsOf(call).includes(env)));
      expect(deployed).toEqual(trigger.environments);
    });

    // A trigger that deploys nothing (a pull request) has no per-environment values to compare: no such tests.
    const perEnvironment = trigger.environments.length > 0 ? test.each(trigger.environments) : undefined;

    perEnvironment?.('%s: cluster, services, task families, verification as the guide names them', (env) => {
      const expected = facts.environments[env] ?? {};
      const here = calls.filter((call) => environmentsOf(call).includes(env));
      const ecs = here.filter((call) => JSON.parse(toText((call.images ?? '[]') as string)).length > 0);
      expect(ecs).toHaveLength(expected.ecs ? 1 : 0);
      if (expected.ecs) {
        const [call] = ecs;
        expect({
          cluster: call[`${env}-cluster`],
          services: list(call[`${env}-services`]),
          families: familiesDeployed(system, call, env),
        }).toEqual({
          cluster: expected.ecs.cluster,
          services: expected.ecs.services,
          families: expected.ecs.families,
        });
      }
      expect(here.flatMap((call) => list(call[`${env}-verify-url`]))).toEqual(expected.verifyUrls ?? []);
    });

    perEnvironment?.('%s: the database snapshotted (instance or cluster), the CDN, the bucket', (env) => {
      const expected = facts.environments[env] ?? {};
      const here = calls.filter((call) => environmentsOf(call).includes(env));
      const databases = here.flatMap((call) =>
        (['instance', 'cluster'] as const)
          .map((kind) => ({ kind, identifier: toText((call[`${env}-snapshot-db-${kind}`] ?? '') as string) }))
          .filter(({ identifier }) => identifier !== ''),
      );
      expect(databases).toEqual(expected.database ? [expected.database] : []);
      const secrets = (call: With) => (call.secrets ?? {}) as With;
      expect(
        here.flatMap((call) => [
          ...list(call[`${env}-distributions`]),
          ...list(secrets(call)[`${env.toUpperCase()}_DISTRIBUTIONS`]),
        ]),
      ).toEqual(expected.distributions ?? []);
      const buckets = here.map((call) => s3Url(toText((call[`${env}-frontend-bucket`] ?? '') as string)));
      expect(buckets.filter(Boolean)).toEqual(expected.bucket ? [expected.bucket] : []);
    });

    test('builds the guide’s images (registry, names, contexts, Dockerfiles, build arguments, tags) once', () => {
      const builds = calls.filter((call) => JSON.parse(toText((call.images ?? '[]') as string)).length > 0);
      expect(builds.length).toBe(trigger.environments.some((env) => facts.environments[env]?.ecs) ? 1 : 0);
      for (const call of builds) {
        expect(JSON.parse(toText(call.images as string))).toEqual(facts.images);
        expect(call.registry ?? '').toBe(facts.registry);
        expect(call['image-tags'] ?? '').toBe(facts.imageTags ?? '');
        expect(call['aws-region']).toBe(facts.region);
      }
    });

    test('migrates as the guide does: its tool’s command in the new revision, or its SQL files with a ledger', () => {
      const migrating = calls.filter((call) => call['migration-command'] || call['sql-migrations-directory']);
      if (trigger.environments.length === 0 || !facts.migration) return expect(migrating).toEqual([]);
      expect(migrating).toHaveLength(1);
      const [call] = migrating;
      expect(
        call['migration-command']
          ? { command: JSON.parse(toText(call['migration-command'] as string)) }
          : { sqlDirectory: call['sql-migrations-directory'] },
      ).toEqual(facts.migration);
    });
  },
);

describe.each(SYSTEMS)('%s', (system) => {
  const facts = GUIDES[system];
  const scenario = scenarioOf(system);
  const ecsEnvironments = ENVIRONMENTS.filter((env) => facts.environments[env]?.ecs);

  test('the pull-request check plans every ECS environment of the guide', () => {
    const [call, ...more] = callsFor(
      system,
      { github: { event_name: 'pull_request', ref: 'refs/pull/1/merge', ref_name: '1/merge' } },
      'pr-checks.yml',
    );
    expect(more).toEqual([]);
    const planned = ENVIRONMENTS.filter((env) => environmentsOf(call).includes(env) && call[`${env}-cluster`]);
    expect(planned).toEqual(ecsEnvironments);
    for (const env of ecsEnvironments) {
      expect([call[`${env}-cluster`], list(call[`${env}-services`]), familiesDeployed(system, call, env)]).toEqual([
        facts.environments[env]?.ecs?.cluster,
        facts.environments[env]?.ecs?.services,
        facts.environments[env]?.ecs?.families,
      ]);
    }
  });

  test('the rollback targets every ECS environment’s cluster and services and checks its URLs', () => {
    const rollbacks = workflowsOf(system).filter(({ workflow }) =>
      Object.values(workflow.jobs).some((job) => REMOTE_WORKFLOW.exec(job.uses ?? '')?.[1] === 'rollback.yml'),
    );
    if (ecsEnvironments.length === 0) return expect(rollbacks).toEqual([]);
    const options = rollbacks[0].workflow.on.workflow_dispatch?.inputs?.environment?.options ?? ['production'];
    expect(options).toEqual(ecsEnvironments);
    for (const env of ecsEnvironments) {
      const [call] = callsFor(
        system,
        {
          github: { event_name: 'workflow_dispatch', ref: 'refs/heads/main', ref_name: 'main' },
          inputs: { environment: env },
        },
        'rollback.yml',
      );
      const expected = facts.environments[env];
      expect([
        call.environment,
        call.cluster,
        list(call.services),
        list(call['verify-url']),
        call['aws-region'],
      ]).toEqual([
        env,
        expected?.ecs?.cluster,
        expected?.ecs?.services,
        expected?.rollbackVerifyUrls ?? expected?.verifyUrls,
        facts.region,
      ]);
    }
  });

  test('images built outside deploy.yml, with build-push', () => {
    const builds = workflowsOf(system).flatMap(({ workflow }) =>
      stepsOf(workflow)
        .filter(({ step }) => REMOTE_ACTION.exec(step.uses ?? '')?.[1] === 'build-push')
        .map(({ step }) => ({ repository: step.with?.repository, context: step.with?.context })),
    );
    expect(builds).toEqual(facts.otherBuilds ?? []);
  });

  test.each(Object.keys(facts.taskDefinitions).length ? Object.keys(facts.taskDefinitions) : ['(none)'])(
    'task definition %s: family, sizes, roles, containers, ports, health checks, env, secrets and logs',
    (file) => {
      const files = readdirSync(join(EXAMPLES, system), { recursive: true })
        .map(String)
        .filter((path) => path.endsWith('.json') && path !== 'scenario.json');
      expect(files.sort()).toEqual(Object.keys(facts.taskDefinitions).sort());
      if (file === '(none)') return;
      const td = readJson<TaskDefinition>(join(EXAMPLES, system, file));
      expect(taskDefinitionFacts(td)).toEqual(facts.taskDefinitions[file]);
      expect(td).toMatchObject({ networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] });
      for (const container of td.containerDefinitions) {
        expect(container.logConfiguration.logDriver).toBe('awslogs');
        expect(container.logConfiguration.options['awslogs-region']).toBe(facts.region);
        expect(container.healthCheck.command[0]).toBe('CMD-SHELL');
      }
    },
  );

  test('scenario.json registers the example’s task definitions as they are, in the guide’s region', () => {
    const registered = scenario.ecs?.taskDefinitions ?? [];
    expect(registered.map((td) => td.family).sort()).toEqual(
      Object.values(facts.taskDefinitions)
        .map((td) => td.family)
        .sort(),
    );
    for (const file of Object.keys(facts.taskDefinitions)) {
      expect(registered).toContainEqual(readJson<TaskDefinition>(join(EXAMPLES, system, file)));
    }
    if (scenario.ecs) expect(scenario.ecs.region).toBe(facts.region);
  });

  test('scenario.json seeds the guide’s clusters and services, on their families, with their task counts', () => {
    const clusters = (scenario.ecs?.clusters ?? []).map((c) => (typeof c === 'string' ? c : c.clusterName));
    expect(clusters.sort()).toEqual(ecsEnvironments.map((env) => facts.environments[env]?.ecs?.cluster).sort());
    for (const env of ecsEnvironments) {
      const ecs = facts.environments[env]!.ecs!;
      const seeded = (scenario.ecs?.services ?? []).filter((service) => service.cluster === ecs.cluster);
      expect(seeded.map((s) => [s.serviceName, s.taskDefinition.split(':')[0], s.desiredCount])).toEqual(
        ecs.services.map((service, i) => [service, ecs.families[i], ecs.desiredCount]),
      );
    }
    const groups = (scenario.ecs?.taskDefinitions ?? []).flatMap((td) =>
      td.containerDefinitions.map((c) => c.logConfiguration.options['awslogs-group']),
    );
    expect(scenario.logs?.logGroups ?? []).toEqual(expect.arrayContaining([...new Set(groups)]));
  });

  test('scenario.json seeds each database as the kind the workflows snapshot, and each distribution they name', () => {
    const byKind = {
      instance: (scenario.rds?.instances ?? []).map((db) => db.identifier),
      cluster: (scenario.rds?.clusters ?? []).map((db) => db.identifier),
    };
    const expected = ENVIRONMENTS.flatMap((env) => facts.environments[env]?.database ?? []);
    expect(byKind).toEqual({
      instance: expected.filter((db) => db.kind === 'instance').map((db) => db.identifier),
      cluster: expected.filter((db) => db.kind === 'cluster').map((db) => db.identifier),
    });
    const names = (scenario.cloudfront?.distributions ?? []).map((d) => [d.id, ...(d.aliases ?? [])]);
    for (const env of ENVIRONMENTS) {
      for (const distribution of facts.environments[env]?.distributions ?? []) {
        expect(names.filter((ids) => ids.includes(distribution))).toHaveLength(1);
      }
    }
  });

  test('scenario.json has the ECR repository of every image built, and every image its task definitions run', () => {
    const repositories = (scenario.ecr?.repositories ?? []).map((r) => r.name);
    const built = facts.registry === '' ? [...facts.images, ...(facts.otherBuilds ?? [])] : [];
    expect(repositories.sort()).toEqual(built.map((image) => image.repository).sort());
    for (const repository of scenario.ecr?.repositories ?? []) expect(repository.region).toBe(facts.region);
    const tagged = (scenario.ecr?.images ?? []).map(({ repository, tag }) => `${repository}:${tag}`);
    for (const td of scenario.ecs?.taskDefinitions ?? []) {
      for (const { image } of td.containerDefinitions) {
        if (image.includes('.dkr.ecr.')) expect(tagged).toContain(image.slice(image.indexOf('/') + 1));
        else expect(image.startsWith(`${facts.registry}/`)).toBe(true);
      }
    }
  });
});

/** Every call of one of our reusable workflows in the examples, with the called workflow. */
const calls = SYSTEMS.flatMap((system) =>
  workflowsOf(system).flatMap(({ file, workflow }) =>
    Object.entries(workflow.jobs)
      .filter(([, job]) => REMOTE_WORKFLOW.test(job.uses ?? ''))
      .map(([name, job]) => ({ system, file, name, job, called: REMOTE_WORKFLOW.exec(job.uses ?? '')?.[1] ?? '' })),
  ),
);

describe.each(calls)('$system $file job $name → $called', ({ job, called }) => {
  const target = reusableWorkflow(called);

  test('uses the one reference form, at v1', () => {
    expect(job.uses).toBe(`shipyard-dev/shipyard/.github/workflows/${called}@v1`);
  });

  test('passes only declared inputs and every required one', () => {
    expect(inputProblems(job.with, target.on.workflow_call?.inputs ?? {})).toEqual({ unknown: [], missing: [] });
  });

  test('passes only declared secrets', () => {
    const declared = Object.keys(target.on.workflow_call?.secrets ?? {});
    expect(
      Object.keys(job.secrets === 'inherit' ? {} : (job.secrets ?? {})).filter((s) => !declared.includes(s)),
    ).toEqual([]);
  });

  test('grants every permission a job of the called workflow asks for', () => {
    const asked = Object.values(target.jobs).flatMap((calledJob) => Object.entries(calledJob.permissions ?? {}));
    for (const [scope, level] of asked) expect([scope, job.permissions?.[scope]]).toEqual([scope, level]);
  });
});

test.each(
  SYSTEMS.flatMap((system) =>
    workflowsOf(system).flatMap(({ file, workflow }) =>
      stepsOf(workflow)
        .filter(({ step }) => /\/shipyard\//.test(step.uses ?? ''))
        .map(({ job, step }) => ({ system, file, job, step })),
    ),
  ),
)(
  '$system $file job $job: $step.uses is `shipyard-dev/shipyard/actions/<name>@v1` with inputs it declares',
  ({ step }) => {
    const action = REMOTE_ACTION.exec(step.uses ?? '')?.[1] ?? '';
    expect(step.uses).toBe(`shipyard-dev/shipyard/actions/${action}@v1`);
    expect(inputProblems(step.with, actionInputs(action))).toEqual({ unknown: [], missing: [] });
  },
);
