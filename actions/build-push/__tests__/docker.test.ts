import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineTail, runDocker } from '../src/docker';
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
