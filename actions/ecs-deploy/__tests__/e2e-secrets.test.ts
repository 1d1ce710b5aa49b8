import { leakedSecrets, SECRET_CORPUS } from '@shipyard/testkit/secret-corpus';
import * as sim from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// The secret corpus pushed through every field ecs-deploy prints: environment values from the task definition file
// and from the `env` input, in deploy and plan modes, opted in to plain values or not, and error messages. No secret
// may reach the log, an annotation, the job summary or an output.

let world: sim.World;
afterEach(() => world?.close());

const corpusEnv = SECRET_CORPUS.map(({ name, value }) => ({ name, value }));
const envLines = SECRET_CORPUS.map(({ name, value }) => `${name}=${value}`).join('\n');

function writeTaskDefinitionWithCorpus(): void {
  const document = sim.taskDefinition('web', 'example/web:v2');
  document.containerDefinitions[0].environment = [{ name: 'LOG_LEVEL', value: 'debug' }, ...corpusEnv];
  sim.writeWorkspaceFile(world, 'task-definition.json', JSON.stringify(document, null, 2));
}

describe('the secret corpus is never printed', () => {
  test('deploy: environment values from the task definition file appear as fingerprints only', async () => {
    world = await sim.startWorld([{ name: 'web' }]);
    writeTaskDefinitionWithCorpus();
    const run = await sim.deployAction(world, { service: 'web', 'task-definition': 'task-definition.json' });
    expect(sim.errorsOf(run)).toEqual([]);
    expect(sim.mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web']);
    expect(leakedSecrets(run)).toEqual([]);
    expect(run.rawLog).toMatch(/env LOG_LEVEL: \(hidden #[0-9a-f]{8}\) → \(hidden #[0-9a-f]{8}\)/);
    expect(run.rawLog).toMatch(/env DATABASE_URL: added = \(hidden #[0-9a-f]{8}\)/);
    expect(run.rawSummary).toMatch(/\| env STRIPE_LIVE \| – \| `added = \(hidden #[0-9a-f]{8}\)` \|/);
  });

  test('deploy: values from the env input, in the log, summary and outputs', async () => {
    world = await sim.startWorld([{ name: 'web' }]);
    const run = await sim.deployAction(world, { service: 'web', env: envLines });
    expect(run.exitCode).toBe(0);
    expect(leakedSecrets(run)).toEqual([]);
    expect(run.rawLog).toMatch(/env GH_PAT: added = \(hidden #[0-9a-f]{8}\)/);
  });

  test('plan with show-env-values: plain values shown, credential shapes still redacted', async () => {
    world = await sim.startWorld([{ name: 'web' }]);
    writeTaskDefinitionWithCorpus();
    const run = await sim.deployAction(world, {
      service: 'web',
      mode: 'plan',
      'task-definition': 'task-definition.json',
      env: envLines,
      'show-env-values': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(sim.mutations(world)).toEqual([]);
    expect(leakedSecrets(run)).toEqual([]);
    expect(run.rawLog).toContain('env LOG_LEVEL: "info" → "debug"');
    expect(run.rawLog).toContain('env DATABASE_URL: added = "postgres://[redacted]@db.internal.example.com:5432/app"');
    expect(run.rawSummary).toContain('`"info"`');
  });

  test.each(SECRET_CORPUS.filter((s) => s.value.length < 64).map((s) => [s.name, s] as const))(
    'an error message quoting a bad input: %s',
    async (_, sample) => {
      world = await sim.startWorld([{ name: 'web' }]);
      const run = await sim.deployAction(world, { service: 'web', command: `["migrate", "${sample.value}"` });
      expect(run.exitCode).toBe(1);
      expect(sim.errorsOf(run).at(-1)).toMatch(/^ecs-deploy: Input "command" must be a non-empty JSON array/);
      expect(leakedSecrets(run, [sample])).toEqual([]);
    },
  );
});
