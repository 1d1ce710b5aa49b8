import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  type Workflow,
} from './workflow-files';

// The seed-system examples: callers pass what our workflows and actions declare and grant what they need, the task
// definitions are shaped like the seeds', and each scenario.json (an aws-sim seed document) holds what the
// example's workflows name.

const SYSTEMS = ['aiponge', 'aviation-weather', 'flight-schedule-pro', 'rideshare', 'wheelsup'];

interface TaskDefinition {
  family: string;
  networkMode: string;
  requiresCompatibilities: string[];
  cpu: string;
  memory: string;
  containerDefinitions: {
    name: string;
    portMappings: { containerPort: number }[];
    healthCheck: { command: string[] };
    secrets?: { name: string; valueFrom: string }[];
    logConfiguration: { logDriver: string; options: Record<string, string> };
  }[];
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
  ecr?: { repositories: { name: string }[]; images: { repository: string; tag: string }[] };
  cloudfront?: { distributions: { id: string; aliases?: string[] }[] };
  rds?: { instances: { identifier: string }[] };
}

const workflowsOf = (system: string) => {
  const dir = join(EXAMPLES, system, '.github/workflows');
  return readdirSync(dir).map((file) => ({ file, workflow: readYaml<Workflow>(join(dir, file)) }));
};
const taskDefinitionFiles = (system: string) => {
  const dir = join(EXAMPLES, system, '.aws');
  return existsSync(dir) ? readdirSync(dir).map((file) => join('.aws', file)) : [];
};
const scenarioOf = (system: string) => readJson<Scenario>(join(EXAMPLES, system, 'scenario.json'));

/** Every call of one of our reusable workflows in the examples, with the called workflow. */
const calls = SYSTEMS.flatMap((system) =>
  workflowsOf(system).flatMap(({ file, workflow }) =>
    Object.entries(workflow.jobs)
      .filter(([, job]) => REMOTE_WORKFLOW.test(job.uses ?? ''))
      .map(([name, job]) => ({ system, file, name, job, called: REMOTE_WORKFLOW.exec(job.uses ?? '')?.[1] ?? '' })),
  ),
);

/** Literal values (not expressions) of `with:` keys ending in `suffix` in an example's workflow calls, as lists. */
const named = (system: string, suffix: RegExp) =>
  workflowsOf(system)
    .flatMap(({ workflow }) => Object.values(workflow.jobs))
    .flatMap((job) => Object.entries(job.with ?? {}).filter(([key]) => suffix.test(key)))
    .map(([, value]) => String(value))
    .filter((value) => !value.includes('${{'))
    .flatMap((value) => value.split(/[\n,]/).map((item) => item.trim()))
    .filter(Boolean);

test('one folder per seed system, plus the image CI builds for real', () => {
  expect(readdirSync(EXAMPLES).sort()).toEqual([...SYSTEMS, 'hello'].sort());
  expect(existsSync(join(EXAMPLES, 'hello/Dockerfile'))).toBe(true);
});

test.each(SYSTEMS)('%s: a README that says what is covered and what is out of scope', (system) => {
  const readme = readFileSync(join(EXAMPLES, system, 'README.md'), 'utf8');
  expect(readme).toMatch(/^## What it covers$/m);
  expect(readme).toMatch(/^## Out of scope$/m);
});

describe.each(calls)('$system $file job $name → $called', ({ job, called }) => {
  const target = reusableWorkflow(called);

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
        .filter(({ step }) => REMOTE_ACTION.test(step.uses ?? ''))
        .map(({ job, step }) => ({ system, file, job, step })),
    ),
  ),
)('$system $file job $job: $step.uses gets only inputs the action declares', ({ step }) => {
  const action = REMOTE_ACTION.exec(step.uses ?? '')?.[1] ?? '';
  expect(inputProblems(step.with, actionInputs(action))).toEqual({ unknown: [], missing: [] });
});

describe.each(SYSTEMS.flatMap((system) => taskDefinitionFiles(system).map((file) => ({ system, file }))))(
  '$system $file',
  ({ system, file }) => {
    const td = readJson<TaskDefinition>(join(EXAMPLES, system, file));
    const region = scenarioOf(system).ecs?.region;

    test('is a Fargate task definition with ports, a container health check and awslogs in the region', () => {
      expect(td).toMatchObject({ networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] });
      for (const container of td.containerDefinitions) {
        expect(container.portMappings.length).toBeGreaterThan(0);
        expect(container.healthCheck.command[0]).toBe('CMD-SHELL');
        expect(container.logConfiguration).toEqual({
          logDriver: 'awslogs',
          options: {
            'awslogs-group': expect.stringMatching(/^\/ecs\//),
            'awslogs-region': region,
            'awslogs-stream-prefix': expect.any(String),
          },
        });
      }
    });

    test('takes its secrets from Secrets Manager in the same region', () => {
      const secrets = td.containerDefinitions.flatMap((container) => container.secrets ?? []);
      for (const { valueFrom } of secrets) {
        expect(valueFrom).toMatch(new RegExp(`^arn:aws:secretsmanager:${region}:\\d{12}:secret:[\\w/-]+-\\w{6}$`));
      }
    });

    test('is registered as is by the scenario', () => {
      expect(scenarioOf(system).ecs?.taskDefinitions).toContainEqual(td);
    });
  },
);

describe.each(SYSTEMS)('%s scenario.json', (system) => {
  const scenario = scenarioOf(system);
  const clusters = (scenario.ecs?.clusters ?? []).map((c) => (typeof c === 'string' ? c : c.clusterName));
  const services = scenario.ecs?.services ?? [];

  test('services run in seeded clusters, on seeded task definitions, logging to seeded groups', () => {
    const families = (scenario.ecs?.taskDefinitions ?? []).map((td) => td.family);
    for (const service of services) {
      expect(clusters).toContain(service.cluster);
      expect(families).toContain(service.taskDefinition);
    }
    const groups = (scenario.ecs?.taskDefinitions ?? []).flatMap((td) =>
      td.containerDefinitions.map((c) => c.logConfiguration.options['awslogs-group']),
    );
    expect(new Set(groups)).toEqual(new Set(scenario.logs?.logGroups ?? []));
  });

  test('holds every cluster, service, distribution and database the workflows name', () => {
    expect(clusters).toEqual(expect.arrayContaining(named(system, /-cluster$/)));
    const serviceNames = services.map((service) => service.serviceName);
    expect(serviceNames).toEqual(expect.arrayContaining(named(system, /-services$/)));
    const distributions = (scenario.cloudfront?.distributions ?? []).flatMap((d) => [d.id, ...(d.aliases ?? [])]);
    expect(distributions).toEqual(expect.arrayContaining(named(system, /-distributions$/)));
    const databases = (scenario.rds?.instances ?? []).map((db) => db.identifier);
    expect(databases).toEqual(expect.arrayContaining(named(system, /(snapshot-db-instance|db-instance)$/)));
  });

  test('has an image behind every task definition in ECR, and an ECR repository for every image it builds', () => {
    const tagged = (scenario.ecr?.images ?? []).map(({ repository, tag }) => `${repository}:${tag}`);
    for (const td of scenario.ecs?.taskDefinitions ?? []) {
      for (const { image } of td.containerDefinitions as unknown as { image: string }[]) {
        if (image.includes('.dkr.ecr.')) expect(tagged).toContain(image.slice(image.indexOf('/') + 1));
      }
    }
    const ecrBuilds = calls
      .filter((call) => call.system === system && call.called === 'deploy.yml' && call.job.with?.registry === undefined)
      .flatMap(({ job }) => JSON.parse(String(job.with?.images)) as { repository: string }[]);
    const repositories = (scenario.ecr?.repositories ?? []).map((repository) => repository.name);
    expect(repositories).toEqual(expect.arrayContaining(ecrBuilds.map((image) => image.repository)));
  });

  test('every task-definition file a workflow names exists in the example', () => {
    for (const file of named(system, /-task-definition$/).filter((value) => value !== 'current')) {
      expect(existsSync(join(EXAMPLES, system, file))).toBe(true);
    }
  });
});
