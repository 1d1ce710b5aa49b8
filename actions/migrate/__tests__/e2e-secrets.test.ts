import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sim } from '@shipyard/aws-sim/server';
import { runAction } from '@shipyard/testkit/run-action';
import { leakedSecrets, SECRET_CORPUS } from '@shipyard/testkit/secret-corpus';
import { image, migrate, startFspSim } from '@shipyard/testkit/fixtures/migrate/fsp-sim';

// The secret corpus pushed through the fields migrate prints: command arguments, environment variables, the
// command's own output (which echoes both) and the failure message, in runner and ECS modes. No secret may reach
// the log, an annotation, the job summary or an output.

const values = SECRET_CORPUS.map((sample) => sample.value);
const environment = SECRET_CORPUS.map(({ name, value }) => `${name}=${value}`).join('\n');
// Prints every argument and every corpus variable, as a migration tool printing its configuration would.
const ECHO_SCRIPT = `for (const a of process.argv.slice(1)) console.log('arg', a);
for (const n of ${JSON.stringify(SECRET_CORPUS.map((s) => s.name))}) console.log(n, process.env[n]);
process.exitCode = Number(process.env.EXIT_CODE);`;

describe('runner mode', () => {
  let workspace: string;
  beforeEach(() => (workspace = mkdtempSync(join(tmpdir(), 'migrate-secrets-'))));
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  const run = (exitCode: number) =>
    runAction({
      actionDir: join(__dirname, '..'),
      workspace,
      inputs: {
        mode: 'runner',
        command: JSON.stringify([process.execPath, '-e', ECHO_SCRIPT, ...values]),
        'environment-variables': `${environment}\nEXIT_CODE=${exitCode}`,
      },
    });

  test('arguments and variables the command prints, and its description, show no secret', async () => {
    const result = await run(0);
    expect(result.exitCode).toBe(0);
    expect(result.rawLog).toContain('arg [redacted]');
    expect(result.rawLog).toMatch(/Running ".*node" with \d+ arguments \(hidden #[0-9a-f]{8}\)/);
    expect(leakedSecrets(result)).toEqual([]);
  });

  test('a failing command: the error, the last lines in the summary and the outputs show no secret', async () => {
    const result = await run(3);
    expect(result.exitCode).toBe(1);
    expect(result.outputs['exit-code']).toBe('3');
    expect(result.rawSummary).toContain('AWS_SECRET [redacted]');
    expect(leakedSecrets(result)).toEqual([]);
  });
});

describe('ECS mode', () => {
  let sim: Sim;
  afterEach(() => sim?.close());

  test('the command, the overrides and the container log that echoes them show no secret', async () => {
    sim = await startFspSim({
      tag: 'leaky',
      scenarios: [
        {
          image: image('leaky'),
          startSeconds: 5,
          oneOff: { exitCode: 1, afterSeconds: 30 },
          logs: values.map((value) => `config: ${value}`),
        },
      ],
    });
    const result = await migrate(sim, {
      command: JSON.stringify(['npm', 'run', 'migrate', '--', ...values]),
      'environment-variables': environment,
    });
    expect(result.exitCode).toBe(1);
    const [runTask] = sim.control.requests({ operation: 'RunTask' });
    expect(JSON.stringify(runTask.params)).toContain(JSON.stringify(values[0]));
    expect(result.rawLog).toMatch(/Running "npm" with \d+ arguments \(hidden #[0-9a-f]{8}\)/);
    expect(result.rawLog).toContain('config: [redacted]');
    expect(leakedSecrets(result)).toEqual([]);
  });
});
