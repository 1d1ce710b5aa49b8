import { changesTable, diffTaskDefinitions, formatChangeLines, type DiffableTaskDefinition } from '../src/ecs-diff';

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
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC' },
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
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-XyZ' },
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
      'container "web": command: ["npm","start"] → ["node","server.js"]',
      'container "web": env API_TOKEN: (hidden) → (hidden)',
      'container "web": env LOG_LEVEL: "info" → "debug"',
      'container "web": env NEW_FLAG: added = "on"',
      'container "web": env OLD_FLAG: "1" → removed',
      'container "web": secret DB_PASSWORD: source changed',
      'container "web": secret GONE: present → removed',
      'container "web": secret STRIPE_KEY: added',
      'container "web": other settings: healthCheck changed',
      'container "proxy": container: added (repo/proxy:2)',
      'container "sidecar": container: present → removed',
    ]);
  });

  test('never shows where a secret comes from, nor values of credential-like variables', () => {
    const text = JSON.stringify(changes);
    expect(text).not.toContain('arn:aws:secretsmanager');
    expect(text).not.toContain('arn:aws:ssm');
    expect(text).not.toContain('token-one');
    expect(text).not.toContain('token-two');
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
