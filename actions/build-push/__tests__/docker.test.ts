import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@shipyard/platform/errors';
import { LineTail, requireBuildx, runDocker, type DockerResult } from '../src/docker';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

describe('LineTail', () => {
  test('keeps only the last lines, in order', () => {
    const tail = new LineTail(3);
    for (const line of ['1', '2', '3', '4', '5']) tail.push(line);
    expect(tail.get()).toEqual(['3', '4', '5']);
  });
});

describe('runDocker', () => {
  const bin = tempDir('docker-bin-');
  // A stand-in `docker` that echoes stdin and one variable, writes to stderr and exits with $CODE.
  writeFileSync(
    join(bin, 'docker'),
    '#!/bin/sh\nread -r line\necho "in:$line env:$EXTRA"\necho "args:$*" >&2\nexit ${CODE:-0}\n',
  );
  chmodSync(join(bin, 'docker'), 0o755);
  const path = process.env.PATH;
  beforeAll(() => (process.env.PATH = `${bin}:${path}`));
  afterAll(() => (process.env.PATH = path));

  test('passes stdin and extra env, captures both streams and the tail, never throws on failure', async () => {
    const result = await runDocker(['login', 'x'], { input: 'secret\n', env: { EXTRA: 'e', CODE: '3' }, silent: true });
    expect(result).toEqual({
      exitCode: 3,
      stdout: 'in:secret env:e\n',
      stderr: 'args:login x\n',
      tail: expect.arrayContaining(['in:secret env:e', 'args:login x']),
    });
  });
});

describe('requireBuildx', () => {
  const found = () => Promise.resolve('/usr/bin/docker');
  const answer = (exitCode: number, tail: string[] = []) =>
    jest.fn((): Promise<DockerResult> => Promise.resolve({ exitCode, stdout: '', stderr: '', tail }));

  test('docker with buildx: passes after one silent "docker buildx version"', async () => {
    const docker = answer(0, ['github.com/docker/buildx v0.24.0']);
    await expect(requireBuildx('app', docker, found)).resolves.toBeUndefined();
    expect(docker.mock.calls).toEqual([[['buildx', 'version'], { silent: true }]]);
  });

  test('no docker on PATH: names the input and the way without Docker, runs nothing', async () => {
    const docker = answer(0);
    const error = await requireBuildx('services/api', docker, () => Promise.resolve('')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Building "services/api" (input "context") needs Docker, but no "docker" executable is on PATH. Run this ' +
        "step on a runner with Docker (GitHub's Ubuntu runners have it); to re-tag an image already in ECR, set " +
        '"promote-from" instead, which needs no Docker.',
    );
    expect(docker).not.toHaveBeenCalled();
  });

  test.each<[string, string[], string]>([
    [
      'with what docker said',
      ['', 'docker: unknown command: docker buildx', '', "Run 'docker --help' for more information"],
      ': docker: unknown command: docker buildx',
    ],
    ['silently', [], ''],
  ])('docker without buildx, failing %s: says to add setup-buildx-action', async (_how, tail, said) => {
    await expect(requireBuildx('.', answer(1, tail), found)).rejects.toThrow(
      new ConfigError(
        `Building "." (input "context") needs docker buildx, but "docker buildx version" failed (exit code 1${said}). ` +
          'Add docker/setup-buildx-action before this step.',
      ),
    );
  });
});
