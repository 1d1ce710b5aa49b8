/** Input mistakes end the step before anything runs: the exact error naming the input, and no mutating AWS call. */
import type { Sim } from '@shipyard/aws-sim/server';
import { image, migrate, startFspSim } from '@shipyard/testkit/fixtures/migrate/fsp-sim';

let sim: Sim;
beforeAll(async () => {
  sim = await startFspSim({ tag: 'ok', scenarios: [{ image: image('ok'), oneOff: { exitCode: 0, afterSeconds: 5 } }] });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.clearRequests());

const errors = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message);
const RUNNER = { cluster: '', 'task-definition': '', container: '', 'copy-from-service': '', mode: 'runner' };
const PRINT_DONE_LATER = JSON.stringify(['node', '-e', 'setTimeout(() => console.log("done"), 1500)']);

test.each<[string, Record<string, string>, string | RegExp]>([
  // Issue 12 defect 3: Node fires a timer above 2^31-1 ms at once, so the command was stopped after ~0.5 s.
  [
    'a timeout beyond what a job can run',
    { ...RUNNER, command: PRINT_DONE_LATER, timeout: '1000h' },
    'migrate: Input "timeout" must be a duration from 1s to 120h, got "1000h".',
  ],
  [
    'a working directory outside the checkout',
    { ...RUNNER, command: PRINT_DONE_LATER, 'working-directory': '../../../..' },
    'migrate: Input "working-directory" names "../../../..", which is outside the workspace; give a path inside the checkout.',
  ],
  // Issue 12 defect 5: a shell command went to RunTask as a subnet id.
  [
    'a subnet id with a shell command',
    { subnets: 'subnet-1; touch /tmp/pwned', 'copy-from-service': '' },
    'migrate: Input "subnets" lists "subnet-1; touch /tmp/pwned", which is not a subnet id (subnet- and 8 or 17 hex digits, e.g. subnet-0123456789abcdef0).',
  ],
  // Issue 12 defect 5: "ecs:DescribeTaskDefinition failed: ClientException" alone did not say which input was wrong.
  [
    'an unknown task definition',
    { 'task-definition': 'fsp-api-staging:9' },
    // Tried for a while first: a revision registered moments ago may be unknown (eventual consistency).
    /^migrate: Input "task-definition" names "fsp-api-staging:9", which ECS cannot describe in us-east-1 \(ecs:DescribeTaskDefinition failed: ClientException: .+ \(still so after \d+s\w* of retries\)\); the migration did not run$/,
  ],
])(
  '%s',
  async (_, inputs, expected) => {
    const run = await migrate(sim, inputs);

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([expected instanceof RegExp ? expect.stringMatching(expected) : expected]);
    expect(run.log).not.toContain('done');
    expect(sim.control.mutatingRequests()).toEqual([]);
  },
  90_000,
);

test('the longest timeout (120h) holds: the command runs to its end', async () => {
  const run = await migrate(sim, { ...RUNNER, command: PRINT_DONE_LATER, timeout: '120h' });

  expect(errors(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.log).toContain('done');
});
