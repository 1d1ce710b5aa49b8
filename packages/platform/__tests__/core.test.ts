import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as actionsCore from '@actions/core';
import { SECRET_CORPUS } from '@shipyard/testkit/secret-corpus';
import { tempDirs } from '@shipyard/testkit/temp-dirs';
import * as core from '../src/core';

type Core = typeof core;

const tempDir = tempDirs();

/** Runs `act` against an implementation and returns what the runner would see: stdout and the command files. */
function observe(impl: Core, act: (c: Core) => void) {
  const dir = tempDir('core-');
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state'), GITHUB_ENV: join(dir, 'env') };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const saved = { ...process.env };
  const savedExitCode = process.exitCode;
  Object.assign(process.env, files);
  let stdout = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  let exitCode: typeof process.exitCode;
  try {
    act(impl);
    exitCode = process.exitCode;
  } finally {
    write.mockRestore();
    process.env = saved;
    process.exitCode = savedExitCode;
  }
  const normalise = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]+/g, 'DELIMITER');
  return {
    stdout: normalise(stdout),
    output: normalise(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state: normalise(readFileSync(files.GITHUB_STATE, 'utf8')),
    env: normalise(readFileSync(files.GITHUB_ENV, 'utf8')),
    exitCode,
  };
}

const cases: [string, (c: Core) => void][] = [
  ['info', (c) => c.info('plain line: with, punctuation %')],
  ['debug with newlines', (c) => c.debug('a\nb\r\nc %25')],
  ['warning', (c) => c.warning('careful')],
  ['warning from an Error', (c) => c.warning(new Error('boom'))],
  [
    'error with properties',
    (c) => c.error('bad: thing', { title: 'T: a,b', file: 'x.yml', startLine: 3, startColumn: 7 }),
  ],
  [
    'notice with all properties',
    (c) => c.notice('n', { title: 't', file: 'f', startLine: 1, endLine: 2, startColumn: 3, endColumn: 4 }),
  ],
  ['setFailed', (c) => c.setFailed('ecs-deploy: it failed\nsecond line')],
  ['setSecret', (c) => c.setSecret('s3cr3t%value')],
  ['groups', (c) => (c.startGroup('Phase: render'), c.info('inside'), c.endGroup())],
  ['setOutput multi-line', (c) => c.setOutput('task-definition-arn', 'arn:aws:ecs:x\nsecond')],
  ['setOutput non-string', (c) => c.setOutput('count', 3)],
  ['saveState', (c) => c.saveState('deployments', '{"a":1}')],
  ['exportVariable', (c) => c.exportVariable('SHIPYARD_X', 'y=z')],
];

describe('text without credentials reaches the runner exactly as @actions/core writes it', () => {
  test.each(cases)('%s', (_name, act) => {
    expect(observe(core, act)).toEqual(observe(actionsCore as unknown as Core, act));
  });
});

describe('inputs and state', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test.each([
    ['task definition', '  x.json  ', {}, 'x.json'],
    ['task definition', '  x.json  ', { trimWhitespace: false }, '  x.json  '],
    ['wait-for', '', {}, ''],
  ])('getInput(%j) with %j and %j → %j', (name, raw, options, expected) => {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = raw;
    expect(core.getInput(name, options)).toBe(expected);
    expect(actionsCore.getInput(name, options)).toBe(expected);
  });

  test('a required input that is missing throws the same error as @actions/core', () => {
    expect(() => core.getInput('cluster', { required: true })).toThrow('Input required and not supplied: cluster');
    expect(() => actionsCore.getInput('cluster', { required: true })).toThrow(
      'Input required and not supplied: cluster',
    );
  });

  test('getState reads STATE_<name>; isDebug follows RUNNER_DEBUG', () => {
    process.env.STATE_deployments = '[1]';
    process.env.RUNNER_DEBUG = '1';
    expect(core.getState('deployments')).toBe('[1]');
    expect(core.getState('missing')).toBe('');
    expect(core.isDebug()).toBe(true);
    process.env.RUNNER_DEBUG = '0';
    expect(core.isDebug()).toBe(false);
  });
});

describe('printUntrusted', () => {
  test('wraps the lines in stop-commands so a workflow command in a log line is not executed', () => {
    const lines = observe(core, (c) => c.printUntrusted(['::add-mask::x', 'plain', '::error::boom'])).stdout.split(
      '\n',
    );
    const token = /^::stop-commands::(.+)$/.exec(lines[0])?.[1];
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.slice(1)).toEqual(['::add-mask::x', 'plain', '::error::boom', `::${token}::`, '']);
  });

  test('prints nothing for no lines', () => {
    expect(observe(core, (c) => c.printUntrusted([])).stdout).toBe('');
  });

  test('uses a fresh token each time, so a log line cannot guess it', () => {
    const lines = observe(core, (c) => (c.printUntrusted(['a']), c.printUntrusted(['b']))).stdout.split('\n');
    expect(lines[3]).toMatch(/^::stop-commands::/);
    expect(lines[0]).not.toBe(lines[3]);
  });
});

describe('every printer redacts credential shapes', () => {
  const printers: [string, (c: Core, text: string) => void][] = [
    ['info', (c, text) => c.info(text)],
    ['debug', (c, text) => c.debug(text)],
    ['warning', (c, text) => c.warning(new Error(text))],
    ['error and its title', (c, text) => c.error(text, { title: text })],
    ['notice', (c, text) => c.notice(text)],
    ['setFailed', (c, text) => c.setFailed(`ecs-deploy: ${text}`)],
    ['group name', (c, text) => (c.startGroup(text), c.endGroup())],
    ['setOutput', (c, text) => c.setOutput('status', text)],
    ['printUntrusted', (c, text) => c.printUntrusted([text])],
  ];

  test.each(printers)('%s', (_name, print) => {
    for (const sample of SECRET_CORPUS) {
      const seen = observe(core, (c) => print(c, `value ${sample.value} end`));
      expect(seen.stdout + seen.output).not.toContain(sample.secret);
      expect(seen.stdout + seen.output).toContain('[redacted]');
    }
  });

  test('setSecret, saveState and exportVariable keep the value: the runner needs it to mask, the post step to act', () => {
    const [sample] = SECRET_CORPUS;
    expect(observe(core, (c) => c.setSecret(sample.value)).stdout).toBe(`::add-mask::${sample.value}\n`);
    expect(observe(core, (c) => c.saveState('token', sample.value)).state).toContain(sample.value);
    expect(observe(core, (c) => c.exportVariable('TOKEN', sample.value)).env).toContain(sample.value);
  });
});
