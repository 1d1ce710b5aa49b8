import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startSim, type Sim } from '@shipyard/aws-sim/server';
import { encodeAnswer, parseInvocation } from '../src/fixtures/build-push/docker-daemon';
import {
  DOCKER_CLIENT_DIR,
  startRegistryStandIn,
  type RegistryStandIn,
} from '../src/fixtures/build-push/registry-stand-in';

// The tests' `docker` (bin/docker, a bash client) and its daemon (the registry stand-in): what a caller gives the
// client reaches the daemon byte for byte, and the daemon's answer comes back as the caller would get it from docker.

let sim: Sim;
let standIn: RegistryStandIn;
let home: string;
let log: string;
beforeAll(async () => {
  sim = await startSim();
  standIn = await startRegistryStandIn(sim);
  home = mkdtempSync(join(tmpdir(), 'docker-client-'));
  log = join(home, 'docker-calls.jsonl');
});
beforeEach(() => writeFileSync(log, ''));
afterAll(async () => {
  await standIn.close();
  await sim.close();
  rmSync(home, { recursive: true, force: true });
});

interface Docker {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Written to a stdin left open until the kernel takes no more (64 KiB pipe, ~200 KiB socket buffer): no line end
 * or NUL, so a client that reads stdin at all drains it. */
const OPEN_STDIN_CHUNK = 'x'.repeat(64 * 1024);

/**
 * Runs the client; stdin is written and closed only when given, as @actions/exec leaves it open otherwise. Left open,
 * it is kept full: a client reading it would wait forever, so the first read (the pipe draining) fails the call.
 */
function docker(argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Docker> {
  const child = spawn(join(DOCKER_CLIENT_DIR, 'docker'), argv, {
    cwd: home,
    env: { PATH: process.env.PATH, DOCKER_SHIM_DAEMON_URL: standIn.url, DOCKER_SHIM_LOG: log, ...options.env },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  // The client ends without reading what is still in the pipe: writing it then fails, as expected.
  child.stdin.on('error', () => {});
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  const readOpenStdin = new Promise<never>((_, reject) => {
    if (options.stdin !== undefined) return;
    while (child.stdin.write(OPEN_STDIN_CHUNK));
    child.stdin.once('drain', () => {
      child.kill('SIGKILL');
      reject(new Error(`docker ${argv.join(' ')} read stdin, which was left open: it would wait forever`));
    });
  });
  const closed = new Promise<Docker>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
  return Promise.race([closed, readOpenStdin]);
}

/** A loopback server on a free port, and its URL. */
async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function loggedCalls(): { argv: string[]; stdin: string; secretEnv: Record<string, string> }[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { argv: string[]; stdin: string; secretEnv: Record<string, string> });
}

const AWKWARD = [
  'two words',
  `"double" and 'single' quotes`,
  'line one\nline two\n',
  'ünïcödé ✓ 🚢',
  '',
  ' ',
  'a=b&c=d+e%20f',
  '\\n\\t $HOME `id` $(id) *',
  '--password-stdin-not',
  '-',
];

describe('argv reaches the daemon exactly', () => {
  test.each(AWKWARD.map((arg) => [JSON.stringify(arg), arg]))('%s, logged and echoed back', async (_, arg) => {
    const result = await docker(['logout', arg, 'last']);
    expect(result).toEqual({ code: 0, stdout: `Removing login credentials for ${arg}\n`, stderr: '' });
    expect(loggedCalls()).toEqual([{ argv: ['logout', arg, 'last'], stdin: '', secretEnv: {} }]);
  });

  test('any argv (no NUL: argv cannot hold one)', async () => {
    const arg = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { maxLength: 4 }), async (rest) => {
        writeFileSync(log, '');
        const result = await docker(['logout', ...rest]);
        expect(result.stdout).toBe(`Removing login credentials for ${rest[0]}\n`);
        expect(loggedCalls().map((call) => call.argv)).toEqual([['logout', ...rest]]);
      }),
      { numRuns: 25 },
    );
  });
});

describe('stdin', () => {
  test('is sent with --password-stdin, exactly', async () => {
    const password = 'pa$$ "word"\nsecond line ✓\n';
    const result = await docker(['login', '--username', 'AWS', '--password-stdin', 'ghcr.io'], { stdin: password });
    expect(result).toEqual({ code: 0, stdout: 'Login Succeeded\n', stderr: '' });
    expect(loggedCalls()[0].stdin).toBe(password);
  });

  test('is neither read nor sent otherwise, even left open', async () => {
    const result = await docker(['login', '--username', 'AWS', 'ghcr.io']);
    expect(result.code).toBe(0);
    expect(loggedCalls()[0].stdin).toBe('');
    await docker(['logout', 'ghcr.io'], { stdin: 'not for docker' });
    expect(loggedCalls()[1].stdin).toBe('');
  });
});

describe('the answer: exit code, stdout and stderr apart', () => {
  test('stdout only, exit 0', async () => {
    expect(await docker(['buildx', 'version'])).toEqual({
      code: 0,
      stdout: 'github.com/docker/buildx v0.24.0 d0e5e86c8b88ae4865040bc96917c338f4dd673c\n',
      stderr: '',
    });
  });

  test('stderr only, exit 1, switched by a DOCKER_SHIM_* variable of the caller', async () => {
    expect(await docker(['buildx', 'version'], { env: { DOCKER_SHIM_NO_BUILDX: '1' } })).toEqual({
      code: 1,
      stdout: '',
      stderr: "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n",
    });
  });

  test('an unsupported command exits 125', async () => {
    expect(await docker(['ps', '-a'])).toEqual({
      code: 125,
      stdout: '',
      stderr: 'docker shim: unsupported command ps -a\n',
    });
  });

  test('a build sees the secrets and writes its files relative to the caller', async () => {
    const secret = 'tøken "with" spaces\nand a line';
    const result = await docker(
      ['buildx', 'build', '--tag', 'ghcr.io/acme/app:1', '--metadata-file', 'meta.json', '--iidfile', 'iid', '.'],
      { env: { SHIPYARD_BUILD_SECRET_0: secret, UNRELATED: 'not sent' } },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `#1 [internal] load build definition from Dockerfile\n#7 0.2 token is ${secret}\n#9 exporting to image\n`,
    );
    expect(loggedCalls()[0].secretEnv).toEqual({ SHIPYARD_BUILD_SECRET_0: secret });
    expect(JSON.parse(readFileSync(join(home, 'meta.json'), 'utf8'))).toMatchObject({
      'image.name': 'ghcr.io/acme/app:1',
    });
    expect(readFileSync(join(home, 'iid'), 'utf8')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('no daemon: exit 1, saying docker cannot reach it', () => {
  test('nothing listening at the URL', async () => {
    const server = createServer();
    const url = await listening(server);
    await new Promise((resolve) => server.close(resolve));
    expect(await docker(['login'], { env: { DOCKER_SHIM_DAEMON_URL: url } })).toEqual({
      code: 1,
      stdout: '',
      stderr: `Cannot connect to the Docker daemon at ${url}. Is the docker daemon running?\n`,
    });
    expect(loggedCalls()).toEqual([]);
  });

  test('no URL', async () => {
    expect(await docker(['login'], { env: { DOCKER_SHIM_DAEMON_URL: '' } })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Cannot connect to the Docker daemon at $DOCKER_SHIM_DAEMON_URL (not set). Is the docker daemon running?\n',
    });
  });

  test('a daemon that answers no docker answer', async () => {
    // It reads the whole request first, as a daemon does. Answering and hanging up as soon as the headers are in raced
    // the client, whose bash writes the request a line at a time: on a loaded machine a line written after the hang-up
    // killed it with SIGPIPE (exit code null, nothing on stderr).
    const server = createServer((request, res) => request.resume().on('end', () => res.writeHead(200).end('<html>')));
    const url = await listening(server);
    try {
      expect(await docker(['login'], { env: { DOCKER_SHIM_DAEMON_URL: url } })).toEqual({
        code: 1,
        stdout: '',
        stderr: 'Error response from daemon: no answer\n',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the wire format, in the daemon', () => {
  const field = (name: string, value: string) => `${name} ${Buffer.byteLength(value)}\n${value}`;

  test('fields with newlines and multi-byte text parse back exactly', () => {
    const body = [
      field('cwd', '/work/app'),
      field('arg', 'build'),
      field('arg', 'two\nlines ✓'),
      field('stdin', 'pa$$\n'),
      field('env', 'SHIPYARD_BUILD_SECRET_0=a=b\nc'),
    ].join('');
    expect(parseInvocation(Buffer.from(body))).toEqual({
      cwd: '/work/app',
      argv: ['build', 'two\nlines ✓'],
      stdin: 'pa$$\n',
      env: { SHIPYARD_BUILD_SECRET_0: 'a=b\nc' },
    });
  });

  test.each([
    ['a value cut short', `${field('arg', 'login')}arg 10\nlogout`, /arg field at byte 11 is cut short/],
    ['a header without its newline', `${field('arg', 'login')}arg 5`, /not a docker invocation field at byte 11/],
    ['a header that is not one', 'hello world\n', /not a docker invocation field at byte 0/],
  ])('%s is refused, never run in part', (_, body, message) => {
    expect(() => parseInvocation(Buffer.from(body))).toThrow(message);
  });

  test('the answer counts bytes, not characters', () => {
    expect(encodeAnswer({ exitCode: 3, stdout: 'ü\n', stderr: '✓' }).toString()).toBe('3 3 3\nü\n✓');
  });
});
