import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DeploymentFailure } from '@shipyard/platform/errors';
import { commandEnvironment, resolveWorkingDirectory, runCommand, type CommandSpec } from '../src/runner-mode';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'migrate-runner-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[], options: Partial<CommandSpec> = {}, onLine?: (line: string) => void) {
  const lines: string[] = [];
  const result = runCommand({
    argv,
    cwd: dir,
    env: process.env,
    timeoutMs: 10_000,
    onLine: (line) => {
      lines.push(line);
      onLine?.(line);
    },
    ...options,
  });
  return result.then((outcome) => ({ ...outcome, lines }));
}

/** A zombie (killed, not yet reaped by whoever adopted it) counts as dead. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** Waits (briefly, for real: these are real processes) until the kernel has reaped a killed process. */
async function waitUntilDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(pid);
}

describe('runCommand', () => {
  test('argv goes to the program as is, without a shell; stdout and stderr lines are streamed', async () => {
    const result = await run([
      process.execPath,
      '-e',
      'console.log(process.argv[1]); console.error("err line")',
      '$HOME; echo hi',
    ]);
    expect(result).toMatchObject({ exitCode: 0, signal: null, stoppedFor: undefined });
    expect(result.lines.sort()).toEqual(['$HOME; echo hi', 'err line']);
  });

  test('runs in the working directory with the given environment', async () => {
    const result = await run(['sh', '-c', 'pwd; echo "$MIGRATE_TEST_VALUE"'], {
      env: { PATH: process.env.PATH, MIGRATE_TEST_VALUE: 'v=1' },
    });
    expect(result.lines).toEqual([dir, 'v=1']);
  });

  test('a non-zero exit code is reported', async () => {
    expect(await run(['sh', '-c', 'echo failing; exit 3'])).toMatchObject({ exitCode: 3, lines: ['failing'] });
  });

  describe('timeouts (simulated timers, moved once the command says it is ready, however late it starts)', () => {
    // Only the timers: the child process's I/O and the promise machinery stay real.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    /** Runs argv; `onReady` is called (timers still simulated) once it printed `ready`. */
    async function runUntilReady(argv: string[], options: Partial<CommandSpec>, onReady: () => void) {
      let ready!: () => void;
      const printedReady = new Promise<void>((resolve) => (ready = resolve));
      const result = run(argv, options, (line) => {
        if (line === 'ready') ready();
      });
      await printedReady;
      onReady();
      return result;
    }

    test('on timeout the whole process tree is stopped', async () => {
      const pidFile = join(dir, 'grandchild.pid');
      const script = `sleep 30 & echo $! > ${pidFile}; echo ready; wait`;
      const result = await runUntilReady(['sh', '-c', script], { timeoutMs: 500 }, () => jest.advanceTimersByTime(500));
      jest.useRealTimers(); // waitUntilDead waits for real
      expect(result).toMatchObject({ stoppedFor: 'timeout', exitCode: null, signal: 'SIGTERM', lines: ['ready'] });
      const grandchild = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitUntilDead(grandchild)).toBe(true);
    });

    test('a process ignoring SIGTERM gets SIGKILL after the grace period', async () => {
      const argv = ['sh', '-c', 'trap "" TERM; echo ready; sleep 30'];
      const result = await runUntilReady(argv, { timeoutMs: 300, killGraceMs: 200 }, () => {
        jest.advanceTimersByTime(300);
        jest.advanceTimersByTime(200);
      });
      expect(result).toMatchObject({ stoppedFor: 'timeout', signal: 'SIGKILL', lines: ['ready'] });
    });
  });

  test('cancellation stops the command', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const pending = runCommand({
      argv: ['sh', '-c', 'echo waiting; sleep 30'],
      cwd: dir,
      env: process.env,
      timeoutMs: 10_000,
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        controller.abort(new Error('received SIGINT'));
      },
    });
    expect(await pending).toMatchObject({ stoppedFor: 'cancel', signal: 'SIGTERM' });
    expect(lines).toEqual(['waiting']);
  });

  test('a program that does not exist fails clearly', async () => {
    await expect(run(['no-such-migration-tool', 'up'])).rejects.toThrow(
      new DeploymentFailure('could not start "no-such-migration-tool": spawn no-such-migration-tool ENOENT'),
    );
  });
});

describe('resolveWorkingDirectory', () => {
  test.each([
    [undefined, ''],
    ['.', ''],
    ['sub', 'sub'],
  ])('%j resolves against GITHUB_WORKSPACE', (input, expectedSub) => {
    const sub = join(dir, 'sub');
    rmSync(sub, { recursive: true, force: true });
    mkdirSync(sub);
    expect(resolveWorkingDirectory(input, { GITHUB_WORKSPACE: dir })).toBe(join(dir, expectedSub));
  });

  test('a missing directory is a config error', () => {
    expect(existsSync(join(dir, 'db'))).toBe(false);
    expect(() => resolveWorkingDirectory('db', { GITHUB_WORKSPACE: dir })).toThrow(
      new ConfigError('Input "working-directory" names "db", which is not a directory in the workspace.'),
    );
  });

  test.each(['..', '/tmp', '../../../../etc'])('%j, outside the checkout, is a config error', (input) => {
    expect(() => resolveWorkingDirectory(input, { GITHUB_WORKSPACE: dir })).toThrow(
      new ConfigError(
        `Input "working-directory" names "${input}", which is outside the workspace; give a path inside the checkout.`,
      ),
    );
  });
});

describe('commandEnvironment', () => {
  test("the step's environment without the action's inputs and state, plus environment-variables", () => {
    const env = {
      PATH: '/bin',
      INPUT_COMMAND: '["x"]',
      'INPUT_ENVIRONMENT-VARIABLES': 'A=1',
      STATE_x: 'y',
      HOME: '/h',
    };
    expect(commandEnvironment({ DATABASE_URL: 'postgres://x', HOME: '/override' }, env)).toEqual({
      PATH: '/bin',
      HOME: '/override',
      DATABASE_URL: 'postgres://x',
    });
  });
});
