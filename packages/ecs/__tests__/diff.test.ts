import { changesTable, diffTaskDefinitions, formatChangeLines, type DiffableTaskDefinition } from '../src/diff';
import { hiddenValue } from '@shipyard/platform/redact';

const DB_ABC = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC';
const DB_XYZ = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-XyZ';
const env = (value: string) => hiddenValue(value, 'env');
const command = (argv: string[]) => hiddenValue(JSON.stringify(argv), 'command');

const before: DiffableTaskDefinition = {
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'web',
      image: 'repo/web:v1',
      environment: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'OLD_FLAG', value: '1' },
        { name: 'API_TOKEN', value: 'token-one' },
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: DB_ABC },
        { name: 'GONE', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/gone' },
      ],
      portMappings: [{ containerPort: 8080 }],
      command: ['npm', 'start'],
      healthCheck: { command: ['CMD', 'true'] },
    },
    { name: 'sidecar', image: 'repo/sidecar:1' },
  ],
};

const after: DiffableTaskDefinition = {
  cpu: '512',
  memory: '1024',
  containerDefinitions: [
    {
      name: 'web',
      image: 'repo/web:v2',
      environment: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'NEW_FLAG', value: 'on' },
        { name: 'API_TOKEN', value: 'token-two' },
        { name: 'DB_URL', value: 'arn:aws:ssm:us-east-1:123456789012:parameter/db-url' },
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: DB_XYZ },
        { name: 'STRIPE_KEY', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/stripe' },
      ],
      portMappings: [{ containerPort: 8080 }, { containerPort: 9090, protocol: 'udp' }],
      command: ['node', 'server.js'],
      healthCheck: { command: ['CMD', 'curl', 'localhost'] },
    },
    { name: 'proxy', image: 'repo/proxy:2' },
  ],
};

describe('diffTaskDefinitions', () => {
  const changes = diffTaskDefinitions(before, after);

  test('reports every kind of change, in review order', () => {
    expect(formatChangeLines(changes)).toEqual([
      'task: cpu: 256 → 512',
      'task: memory: 512 → 1024',
      'container "web": image: repo/web:v1 → repo/web:v2',
      'container "web": ports: 8080/tcp → 8080/tcp, 9090/udp',
      `container "web": command: ${command(['npm', 'start'])} → ${command(['node', 'server.js'])}`,
      `container "web": env API_TOKEN: ${env('token-one')} → ${env('token-two')}`,
      'container "web": env DB_URL: added = "arn:aws:ssm:us-east-1:123456789012:parameter/db-url"',
      `container "web": env LOG_LEVEL: ${env('info')} → ${env('debug')}`,
      `container "web": env NEW_FLAG: added = ${env('on')}`,
      `container "web": env OLD_FLAG: ${env('1')} → removed`,
      `container "web": secret DB_PASSWORD: ${DB_ABC} → ${DB_XYZ}`,
      'container "web": secret GONE: arn:aws:ssm:us-east-1:123456789012:parameter/gone → removed',
      'container "web": secret STRIPE_KEY: added from arn:aws:ssm:us-east-1:123456789012:parameter/stripe',
      'container "web": other settings: healthCheck changed',
      'container "proxy": container: added (repo/proxy:2)',
      'container "sidecar": container: present → removed',
    ]);
  });

  test('shows no environment value or command argument by default, only fingerprints that tell values apart', () => {
    const text = JSON.stringify(changes);
    for (const value of ['token-one', 'token-two', 'info', 'debug', '"on"', 'npm', 'server.js']) {
      expect(text).not.toContain(value);
    }
    expect(env('info')).not.toEqual(env('debug'));
    expect(env('info')).toMatch(/^\(hidden #[0-9a-f]{8}\)$/);
  });

  test('with showEnvValues: plain values, credential shapes redacted, credential-named variables still hidden', () => {
    const url = { name: 'DATABASE_URL', value: 'postgres://app:Hunter2-prod@db.internal:5432/app' };
    const shown = diffTaskDefinitions(
      before,
      {
        ...after,
        containerDefinitions: [
          { ...after.containerDefinitions![0], environment: [url, { name: 'API_TOKEN', value: 'x' }] },
        ],
      },
      { showEnvValues: true },
    );
    const lines = formatChangeLines(shown).filter((line) => line.includes(' env '));
    expect(lines).toEqual([
      `container "web": env API_TOKEN: ${env('token-one')} → ${env('x')}`,
      'container "web": env DATABASE_URL: added = "postgres://[redacted]@db.internal:5432/app"',
      'container "web": env LOG_LEVEL: "info" → removed',
      'container "web": env OLD_FLAG: "1" → removed',
    ]);
  });

  test('identical task definitions have no changes; empty lists equal absent ones', () => {
    const same = diffTaskDefinitions(before, structuredClone(before));
    expect(same).toEqual([]);
    expect(formatChangeLines(same)).toEqual([
      'no changes to images, environment, secrets, cpu/memory, ports or command',
    ]);
    expect(
      diffTaskDefinitions(
        { containerDefinitions: [{ name: 'a', image: 'x', mountPoints: [] }] },
        { containerDefinitions: [{ name: 'a', image: 'x' }] },
      ),
    ).toEqual([]);
  });

  test('renders a markdown table with code cells and a dash for nothing', () => {
    const table = changesTable(diffTaskDefinitions(before, { ...before, cpu: '1024' }));
    expect(table).toEqual({ header: ['Where', 'What', 'Before', 'After'], rows: [['task', 'cpu', '`256`', '`1024`']] });
    expect(changesTable([{ scope: 'task', what: 'cpu', after: '512' }]).rows).toEqual([['task', 'cpu', '–', '`512`']]);
  });
});
