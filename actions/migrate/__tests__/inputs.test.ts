import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@shipyard/platform/errors';
import {
  defaultStartedBy,
  parseCapacityProviderStrategy,
  parseCommand,
  parseLaunchType,
  parseMode,
  parseStartedBy,
  parseTaskDefinition,
  readInputs,
  shellArgv,
} from '../src/inputs';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/wheelsup-web-staging:42';

describe('parseCommand', () => {
  test.each([
    ['["npm","run","db:push"]', ['npm', 'run', 'db:push']],
    ['["python", "-m", "alembic", "upgrade", "head"]', ['python', '-m', 'alembic', 'upgrade', 'head']],
    ['["sh","-c","echo \\"$X\\""]', ['sh', '-c', 'echo "$X"']],
  ])('%s → %j', (raw, argv) => {
    expect(parseCommand('command', raw)).toEqual(argv);
  });

  test.each([
    [
      'npm run db:push',
      'Input "command" must be a JSON array of strings such as ["npm","run","db:push"], got "npm run db:push".',
    ],
    [
      '["npm", "run"',
      'Input "command" must be a JSON array of strings such as ["npm","run","db:push"], got "[\\"npm\\", \\"run\\"".',
    ],
    [
      '{"cmd":"npm"}',
      'Input "command" must be a JSON array of strings such as ["npm","run","db:push"], got "{\\"cmd\\":\\"npm\\"}".',
    ],
    ['[]', 'Input "command" must name a program to run, got an empty array.'],
    ['["npm", 3]', 'Input "command" must be a JSON array of strings such as ["npm","run","db:push"]; item 2 is "3".'],
    ['["", "x"]', 'Input "command" must name a program to run; its first item is empty.'],
  ])('%s is refused', (raw, message) => {
    expect(() => parseCommand('command', raw)).toThrow(new ConfigError(message));
  });
});

describe('parseTaskDefinition', () => {
  test.each([
    [ARN, 'wheelsup-web-staging'],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/app_1:3', 'app_1'],
    ['rideshare-api-staging:7', 'rideshare-api-staging'],
    ['rideshare-api-staging', 'rideshare-api-staging'],
  ])('%s → family %s', (raw, family) => {
    expect(parseTaskDefinition('task-definition', raw)).toEqual({ taskDefinition: raw, family });
  });

  test.each([
    'arn:aws:ecs:us-east-1:123456789012:task-definition/app',
    'arn:aws:ecs:us-east-1:123456789012:service/app',
    'arn:aws:ecs:us-east-1:123456789012:task-definition/app:0',
    'app:latest',
    'app:0',
    'app:07',
    'my app',
  ])('%s is refused', (raw) => {
    expect(() => parseTaskDefinition('task-definition', raw)).toThrow(
      `Input "task-definition" must be a task definition ARN, family:revision or family (letters, digits, hyphens and underscores; revisions from 1), got ${JSON.stringify(raw)}.`,
    );
  });
});

describe('started-by', () => {
  test.each(['migrate-app', 'team/app_db-1', 'x'.repeat(36)])('%s is accepted', (raw) => {
    expect(parseStartedBy('started-by', raw)).toBe(raw);
  });

  test.each(['x'.repeat(37), 'has space', 'dot.ted'])('%s is refused', (raw) => {
    expect(() => parseStartedBy('started-by', raw)).toThrow(/must be 1 to 36 letters, digits, hyphens, underscores/);
  });

  test.each([
    ['wheelsup-web-staging', 'migrate-wheelsup-web-staging'],
    ['a-very-long-task-family-name-for-aiponge', 'migrate-a-very-long-task-family-name'],
    ['abcdefghijklmnopqrstuvwxyz0-tail', 'migrate-abcdefghijklmnopqrstuvwxyz0'],
  ])('the default for family %s is %s (≤ 36 characters, no trailing separator)', (family, expected) => {
    expect(defaultStartedBy(family)).toBe(expected);
    expect(expected.length).toBeLessThanOrEqual(36);
  });
});

describe('parseCapacityProviderStrategy', () => {
  test.each([
    [[], undefined],
    [
      ['FARGATE:1:1', 'FARGATE_SPOT:4'],
      [
        { capacityProvider: 'FARGATE', weight: 1, base: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 4 },
      ],
    ],
    [['my-asg-provider:0'], [{ capacityProvider: 'my-asg-provider', weight: 0 }]],
  ])('%j → %j', (items, expected) => {
    expect(parseCapacityProviderStrategy('capacity-provider-strategy', items)).toEqual(expected);
  });

  test.each([['FARGATE'], ['FARGATE:x'], ['FARGATE:1001'], ['FARGATE:1:100001']])('%s is refused', (item) => {
    expect(() => parseCapacityProviderStrategy('capacity-provider-strategy', [item])).toThrow(
      `Input "capacity-provider-strategy" items must be provider:weight or provider:weight:base (weight 0–1000, base 0–100000), e.g. FARGATE:1:1, FARGATE_SPOT:4; got ${JSON.stringify(item)}.`,
    );
  });

  test('only one provider may have a base', () => {
    expect(() => parseCapacityProviderStrategy('capacity-provider-strategy', ['A:1:1', 'B:1:2'])).toThrow(
      'Input "capacity-provider-strategy" may give a base to one capacity provider only.',
    );
  });
});

describe('choices', () => {
  test.each([
    ['', 'ecs'],
    ['ecs', 'ecs'],
    ['runner', 'runner'],
  ])('mode %j → %s', (raw, mode) => expect(parseMode(raw)).toBe(mode));

  test('an unknown mode is refused with the choices', () => {
    expect(() => parseMode('lambda')).toThrow('Input "mode" must be one of ecs, runner, got "lambda".');
  });

  test('MANAGED_INSTANCES is not a RunTask launch type', () => {
    expect(() => parseLaunchType('MANAGED_INSTANCES')).toThrow(
      'Input "launch-type" must be one of FARGATE, EC2, EXTERNAL, got "MANAGED_INSTANCES".',
    );
  });

  test.each([
    [
      'bash',
      'npx node-pg-migrate up',
      ['bash', '--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', 'npx node-pg-migrate up'],
    ],
    ['sh', 'psql -f a.sql', ['sh', '-e', '-c', 'psql -f a.sql']],
  ] as const)('shell %s wraps the script', (shell, script, argv) => {
    expect(shellArgv(shell, script)).toEqual(argv);
  });
});

describe('readInputs', () => {
  const ecs = { cluster: 'wheelsup-staging', 'task-definition': ARN, container: 'wheelsup-web' };
  const context = { sha: 'abcdef0123456789', runId: '555', runAttempt: '1' };

  function withInputs<T>(inputs: Record<string, string>, fn: () => T): T {
    const keys = Object.keys(inputs).map((name) => `INPUT_${name.toUpperCase()}`);
    Object.entries(inputs).forEach(([name, value]) => (process.env[`INPUT_${name.toUpperCase()}`] = value));
    try {
      return fn();
    } finally {
      keys.forEach((key) => delete process.env[key]);
    }
  }

  test('ECS mode with defaults', () => {
    expect(withInputs({ ...ecs, command: '["npm","run","db:push"]' }, () => readInputs(context))).toEqual({
      mode: 'ecs',
      region: '',
      environment: {},
      timeoutMs: 30 * 60_000,
      logLines: 30,
      snapshot: undefined,
      cluster: 'wheelsup-staging',
      taskDefinition: ARN,
      family: 'wheelsup-web-staging',
      container: 'wheelsup-web',
      command: ['npm', 'run', 'db:push'],
      network: undefined,
      launchType: undefined,
      capacityProviderStrategy: undefined,
      copyFromService: undefined,
      startedBy: 'migrate-wheelsup-web-staging',
      concurrencyPolicy: 'refuse',
    });
  });

  test('ECS mode with network, capacity, environment and a cluster snapshot', () => {
    const inputs = withInputs(
      {
        ...ecs,
        subnets: 'subnet-0123abcd, subnet-0123456789abcdef0',
        'security-groups': 'sg-0123abcd',
        'assign-public-ip': 'true',
        'capacity-provider-strategy': 'FARGATE:1:1\nFARGATE_SPOT:4',
        'environment-variables': 'LOG_LEVEL=debug\nDATABASE_URL=postgres://u:p@h/db?a=b',
        'concurrency-policy': 'wait',
        timeout: '1h',
        'snapshot-db-cluster': 'aiponge-aurora',
        'snapshot-timeout': '20m',
      },
      () => readInputs(context),
    );
    expect(inputs).toMatchObject({
      network: {
        subnets: ['subnet-0123abcd', 'subnet-0123456789abcdef0'],
        securityGroups: ['sg-0123abcd'],
        assignPublicIp: 'ENABLED',
      },
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE', weight: 1, base: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 4 },
      ],
      environment: { LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://u:p@h/db?a=b' },
      concurrencyPolicy: 'wait',
      timeoutMs: 3_600_000,
      snapshot: { kind: 'cluster', db: 'aiponge-aurora', id: 'aiponge-aurora-pre-abcdef0-555', timeoutMs: 1_200_000 },
    });
  });

  test('runner mode with sql-directory: the files in order, the ledger, the baseline', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'migrate-inputs-'));
    let onCleanup = () => {};
    try {
      mkdirSync(join(workspace, 'database', 'migrations'), { recursive: true });
      for (const name of ['010_c.sql', '002_b.sql', '001_a.sql']) {
        writeFileSync(join(workspace, 'database', 'migrations', name), `-- ${name}\n`);
      }
      const originalWorkspace = process.env.GITHUB_WORKSPACE;
      process.env.GITHUB_WORKSPACE = workspace;
      onCleanup = () => {
        if (originalWorkspace === undefined) delete process.env.GITHUB_WORKSPACE;
        else process.env.GITHUB_WORKSPACE = originalWorkspace;
      };
      const inputs = withInputs(
        {
          mode: 'runner',
          'sql-directory': 'database/migrations',
          'sql-ledger-table': 'ops.ledger',
          'sql-baseline': '2',
          'environment-variables': 'DATABASE_URL=postgres://app@db/fsp',
        },
        () => readInputs(context),
      );
      expect(inputs).toMatchObject({
        mode: 'runner',
        environment: { DATABASE_URL: 'postgres://app@db/fsp' },
        sql: {
          directory: 'database/migrations',
          path: realpathSync(join(workspace, 'database', 'migrations')),
          ledger: { schema: 'ops', table: 'ledger' },
          baseline: { name: '002_b.sql' },
        },
      });
      expect(inputs.mode === 'runner' && inputs.sql?.files.map((file) => file.name)).toEqual([
        '001_a.sql',
        '002_b.sql',
        '010_c.sql',
      ]);
      expect(inputs).not.toHaveProperty('argv');
    } finally {
      onCleanup();
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('runner mode: argv from JSON, or the shell around a script', () => {
    const runner = { mode: 'runner', 'working-directory': 'db', 'environment-variables': 'DATABASE_URL=x' };
    expect(
      withInputs({ ...runner, command: '["npx","node-pg-migrate","up"]' }, () => readInputs(context)),
    ).toMatchObject({
      mode: 'runner',
      argv: ['npx', 'node-pg-migrate', 'up'],
      workingDirectory: 'db',
      environment: { DATABASE_URL: 'x' },
    });
    const script = 'for f in migrations/*.sql; do\n  psql -v ON_ERROR_STOP=1 -f "$f"\ndone\n';
    expect(withInputs({ ...runner, shell: 'bash', command: script }, () => readInputs(context))).toMatchObject({
      argv: ['bash', '--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script.trim()],
    });
  });

  test.each([
    [{ ...ecs, command: 'npm run db:push' }, /^Input "command" must be a JSON array of strings/],
    [{ ...ecs, container: '' }, 'Input "container" is required but was empty or not set.'],
    [
      { ...ecs, 'launch-type': 'FARGATE', 'capacity-provider-strategy': 'FARGATE:1' },
      'Inputs "launch-type" and "capacity-provider-strategy" cannot both be set: ECS takes one or the other.',
    ],
    [
      { ...ecs, 'security-groups': 'sg-0123abcd' },
      'Input "security-groups" needs "subnets": give the subnets too, or remove it and use "copy-from-service" to copy the whole network configuration from a service.',
    ],
    [{ ...ecs, shell: 'bash' }, 'Input "shell" only applies to mode runner, but mode is ecs: remove it.'],
    [
      { mode: 'runner', command: '["x"]', cluster: 'c' },
      'Input "cluster" only applies to mode ecs, but mode is runner: remove it.',
    ],
    [
      { mode: 'runner' },
      'Input "command" is required in mode runner (unless "sql-directory" is set) but was empty or not set.',
    ],
    [
      { ...ecs, 'sql-directory': 'db/migrations' },
      'Input "sql-directory" only applies to mode runner, but mode is ecs: in mode ecs the migration runs in the ' +
        "task's image, which would need psql and the SQL files: use mode runner (with a database the runner can " +
        'reach), or a migration tool in the image as `command`.',
    ],
    [
      { ...ecs, 'sql-ledger-table': 'ledger' },
      'Input "sql-ledger-table" only applies to mode runner, but mode is ecs: remove it.',
    ],
    [
      { mode: 'runner', command: '["psql"]', 'sql-directory': 'db/migrations' },
      'Inputs "command" and "sql-directory" cannot both be set: with "sql-directory" the action runs the files with psql itself (the folder is relative to the checkout).',
    ],
    [
      { mode: 'runner', 'working-directory': 'db', 'sql-directory': 'migrations' },
      /^Inputs "working-directory" and "sql-directory" cannot both be set/,
    ],
    [
      { mode: 'runner', command: '["x"]', 'sql-baseline': '004' },
      'Input "sql-baseline" needs "sql-directory": give the folder of SQL files too.',
    ],
    [
      { mode: 'runner', 'sql-directory': '.', 'sql-ledger-table': 'Ledger' },
      /^Input "sql-ledger-table" must be a table name or schema.table in lower-case letters/,
    ],
    [{ ...ecs, 'started-by': 'x'.repeat(37) }, /^Input "started-by" must be 1 to 36/],
    [{ ...ecs, timeout: '0s' }, 'Input "timeout" must be a duration from 1s to 120h, got "0s".'],
    // Issue 12 defect 3: a timeout Node's timer cannot hold (it fired after ~0.5 s).
    [{ ...ecs, timeout: '1000h' }, 'Input "timeout" must be a duration from 1s to 120h, got "1000h".'],
    // Issue 12 defect 5: a shell command reached RunTask as a subnet id.
    [
      { ...ecs, subnets: 'subnet-1; touch /tmp/pwned' },
      'Input "subnets" lists "subnet-1; touch /tmp/pwned", which is not a subnet id (subnet- and 8 or 17 hex digits, e.g. subnet-0123456789abcdef0).',
    ],
    [
      { ...ecs, subnets: 'subnet-0123abcd', 'security-groups': 'default' },
      'Input "security-groups" lists "default", which is not a security group id (sg- and 8 or 17 hex digits, e.g. sg-0123456789abcdef0).',
    ],
    [
      { ...ecs, subnets: Array.from({ length: 17 }, (_, i) => `subnet-${String(i).padStart(8, '0')}`).join(',') },
      'Input "subnets" lists 17 subnets; ECS takes at most 16.',
    ],
    [
      { ...ecs, cluster: 'prod cluster' },
      'Input "cluster" must be a cluster name (up to 255 letters, digits, _ and -) or cluster ARN, got "prod cluster".',
    ],
    [
      { ...ecs, container: 'api;id' },
      'Input "container" must be a container name (up to 255 letters, digits, _ and -), got "api;id".',
    ],
    [
      { ...ecs, 'copy-from-service': '../api' },
      'Input "copy-from-service" must be a service name (up to 255 letters, digits, _ and -), got "../api".',
    ],
    [
      { ...ecs, 'snapshot-db-instance': 'a', 'snapshot-db-cluster': 'b' },
      /^Inputs "snapshot-db-instance" and "snapshot-db-cluster" cannot both be set/,
    ],
    [
      { ...ecs, 'snapshot-id': 'x' },
      'Input "snapshot-id" needs "snapshot-db-instance" or "snapshot-db-cluster" to say what to snapshot.',
    ],
    [
      { ...ecs, 'snapshot-db-instance': 'db_1' },
      'Input "snapshot-db-instance" is not a valid RDS identifier: it contains "_"; only letters, digits and hyphens are allowed; got "db_1".',
    ],
    [
      { ...ecs, 'snapshot-db-instance': 'db', 'snapshot-id': 'pre--migrate' },
      'Input "snapshot-id" is not a valid DB snapshot identifier: it must not contain two hyphens in a row; got "pre--migrate".',
    ],
    [
      { ...ecs, 'snapshot-db-cluster': 'db', 'snapshot-id': 'c'.repeat(64) },
      /^Input "snapshot-id" is not a valid DB cluster snapshot identifier: it has 64 characters, more than 63/,
    ],
    [
      { ...ecs, 'environment-variables': `BIG=${'x'.repeat(8200)}` },
      /^The command and environment-variables come to 8\d{3} characters of container overrides; ECS accepts at most 8192/,
    ],
  ])('%j is refused', (inputs, message) => {
    const error = withInputs(inputs, () => {
      try {
        readInputs(context);
      } catch (caught) {
        return caught;
      }
      throw new Error('readInputs accepted the inputs');
    });
    expect(error).toBeInstanceOf(ConfigError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });
});
