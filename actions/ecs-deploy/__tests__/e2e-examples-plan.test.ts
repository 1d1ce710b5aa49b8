import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expectModelConformance } from '@shipyard/aws-sim/conformance';
import { startSim, type Sim } from '@shipyard/aws-sim/server';
import { runAction } from '@shipyard/testkit/run-action';
import { ACTION_DIR, CLUSTER, errorsOf, SCENARIOS, serviceSeed } from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// Every example task definition, registered as is and running, planned with the very same file: the plan must
// find nothing to change and no revision to register (issue 14: "web:2 → new revision", cpu: 0 → (none)).

const REPOSITORY = join(__dirname, '..', '..', '..');
const EXAMPLES = join(REPOSITORY, 'examples');

// Every task-definition file the examples keep, wherever their guides put them.
const files = readdirSync(EXAMPLES, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.json') && !name.includes('node_modules'))
  .map((name) => join(EXAMPLES, name))
  .filter((file) => 'containerDefinitions' in JSON.parse(readFileSync(file, 'utf8')))
  .sort();
const documents = files.map((file) => ({ file, document: JSON.parse(readFileSync(file, 'utf8')) }));

let sim: Sim;

beforeAll(async () => {
  const regions = new Set(documents.map(({ document }) => regionOf(document)));
  sim = await startSim({ timeScale: 60, scenarios: SCENARIOS });
  for (const region of regions) {
    const here = documents.filter(({ document }) => regionOf(document) === region);
    sim.control.seed({
      ecs: {
        region,
        clusters: [CLUSTER],
        taskDefinitions: here.map(({ document }) => document),
        services: here.map(({ document }) => ({
          ...serviceSeed({ name: document.family }),
          launchType: document.requiresCompatibilities?.includes('FARGATE') ? 'FARGATE' : 'EC2',
        })),
      },
      logs: { region, logGroups: [...new Set(here.flatMap(({ document }) => logGroupsOf(document)))] },
    });
  }
});
afterAll(async () => {
  await sim.close();
  expectModelConformance(sim.control.requests());
});

interface ExampleDocument {
  containerDefinitions: { logConfiguration?: { options?: Record<string, string> } }[];
}

function logGroupsOf(document: ExampleDocument): string[] {
  return document.containerDefinitions.flatMap((c) => c.logConfiguration?.options?.['awslogs-group'] ?? []);
}

function regionOf(document: ExampleDocument) {
  return document.containerDefinitions[0].logConfiguration?.options?.['awslogs-region'] ?? 'us-east-1';
}

test('there are example task definitions to plan', () => {
  expect(files.length).toBeGreaterThanOrEqual(20);
});

test.each(documents.map(({ file, document }) => [relative(REPOSITORY, file), document]))(
  'plan with %s, deployed unchanged: 0 changes, no new revision',
  async (file, document) => {
    const run = await runAction({
      actionDir: ACTION_DIR,
      inputs: { cluster: CLUSTER, service: document.family, 'task-definition': file, mode: 'plan' },
      env: { ...sim.env, AWS_REGION: regionOf(document) },
      workspace: REPOSITORY,
    });
    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toContain('no changes to images, environment, secrets, cpu/memory, ports or command');
    expect(run.log).not.toMatch(/Would register|new revision/);
    expect(run.outputs['task-definition-arn']).toMatch(new RegExp(`task-definition/${document.family}:1$`));
  },
);
