import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import {
  contentKey,
  defaultContainer,
  mergeTagList,
  registeredContentKey,
  render,
  tagsKey,
  toRegisterRequest,
  type RenderChanges,
} from '../src/render';

const described = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:6',
  revision: 6,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: new Date('2025-01-01T00:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:role/deployer',
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  ipcMode: null,
  containerDefinitions: [
    {
      name: 'web',
      image: 'repo/web:v1',
      environment: [{ name: 'LOG_LEVEL', value: 'info' }],
      secrets: [{ name: 'DB_URL', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
      command: ['npm', 'start'],
    },
    { name: 'envoy', image: 'envoy:1', environment: null },
  ],
};

const none: RenderChanges = { images: {}, env: [], secrets: [], tags: {} };

describe('toRegisterRequest', () => {
  test('drops read-only fields and nulls, keeps the rest', () => {
    const request = toRegisterRequest(described);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'ipcMode',
    ]) {
      expect(request).not.toHaveProperty(field);
    }
    expect(request).toMatchObject({ family: 'web', cpu: '256', requiresCompatibilities: ['FARGATE'] });
    expect(request.containerDefinitions?.[1]).toEqual({ name: 'envoy', image: 'envoy:1' });
  });
});

describe('render', () => {
  const base = toRegisterRequest(described);

  test('applies images, env, secrets, command, cpu, memory and tags; leaves the input untouched', () => {
    const before = structuredClone(base);
    const rendered = render(base, {
      container: 'web',
      images: { web: 'repo/web:v2', envoy: 'envoy:2' },
      env: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { container: 'envoy', name: 'ADMIN_PORT', value: '9901' },
      ],
      secrets: [{ name: 'API_KEY', value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api' }],
      command: ['node', 'server.js'],
      cpu: '512',
      memory: '1024',
      tags: { 'git-sha': 'abc' },
    });
    expect(base).toEqual(before);
    expect(rendered).toMatchObject({ cpu: '512', memory: '1024', tags: [{ key: 'git-sha', value: 'abc' }] });
    expect(rendered.containerDefinitions).toEqual([
      {
        name: 'web',
        image: 'repo/web:v2',
        environment: [{ name: 'LOG_LEVEL', value: 'debug' }],
        secrets: [
          { name: 'DB_URL', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' },
          { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api' },
        ],
        command: ['node', 'server.js'],
      },
      { name: 'envoy', image: 'envoy:2', environment: [{ name: 'ADMIN_PORT', value: '9901' }] },
    ]);
  });

  test('no changes and no tags leave the request as it was', () => {
    expect(render(base, none)).toEqual(base);
  });
});

describe('defaultContainer', () => {
  const one = { family: 'x', containerDefinitions: [{ name: 'only' }] } as RegisterTaskDefinitionRequest;
  const two = toRegisterRequest(described);
  test.each([
    [one, undefined, 'only'],
    [two, undefined, undefined],
    [two, 'envoy', 'envoy'],
  ])('%#', (request, named, expected) => {
    expect(defaultContainer(request, named)).toBe(expected);
  });
});

describe('mergeTagList', () => {
  test('new values win, order is stable', () => {
    expect(
      mergeTagList(
        [
          { key: 'git-sha', value: 'old' },
          { key: 'team', value: 'a' },
        ],
        { 'git-sha': 'new', env: 'prod' },
      ),
    ).toEqual([
      { key: 'git-sha', value: 'new' },
      { key: 'team', value: 'a' },
      { key: 'env', value: 'prod' },
    ]);
  });
});

describe('contentKey', () => {
  test('ignores tags, key order, empty lists and read-only fields', () => {
    const a = toRegisterRequest(described);
    const b = { ...toRegisterRequest({ ...described, revision: 7 }), tags: [{ key: 'x', value: 'y' }] };
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as RegisterTaskDefinitionRequest;
    const withEmpty = { ...a, volumes: [] };
    expect(contentKey(b)).toBe(contentKey(a));
    expect(contentKey(reordered)).toBe(contentKey(a));
    expect(contentKey(withEmpty)).toBe(contentKey(a));
    expect(contentKey(render(a, { ...none, images: { web: 'repo/web:v2' } }))).not.toBe(contentKey(a));
  });
});

describe('registeredContentKey', () => {
  const request = toRegisterRequest({ ...described, containerDefinitions: [{ name: 'web', image: 'repo/web:v1' }] });
  const withPorts = (networkMode: string, portMappings: object[]) =>
    ({
      ...request,
      networkMode,
      containerDefinitions: [{ name: 'web', image: 'repo/web:v1', portMappings }],
    }) as object;
  const filled = (container: object) => ({
    ...request,
    containerDefinitions: [{ ...request.containerDefinitions![0], ...container }],
  });

  test.each([
    ['the defaults ECS fills in: equal', filled({ cpu: 0, essential: true }), true],
    ['another cpu: different', filled({ cpu: 128 }), false],
    ['not essential: different', filled({ essential: false }), false],
    ['another image: different', filled({ image: 'repo/web:v2' }), false],
  ])('%s', (_, revision, same) => {
    expect(registeredContentKey(revision) === registeredContentKey(request)).toBe(same);
  });

  test.each([
    ['awsvpc: hostPort and tcp filled in', 'awsvpc', [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }], true],
    ['awsvpc: udp differs', 'awsvpc', [{ containerPort: 80, hostPort: 80, protocol: 'udp' }], false],
    ['bridge: a hostPort is not implied', 'bridge', [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }], false],
  ])('%s', (_, networkMode, revisionPorts, same) => {
    const ask = registeredContentKey(withPorts(networkMode, [{ containerPort: 80 }]));
    expect(registeredContentKey(withPorts(networkMode, revisionPorts)) === ask).toBe(same);
  });
});

describe('tagsKey', () => {
  const sha = { key: 'git-sha', value: 'abc' };
  const run = { key: 'run-url', value: 'https://github.com/o/r/actions/runs/1' };

  test.each([
    ['the same tags in another order: equal', [sha, run], [run, sha], true],
    ['an empty list and no list: equal', [], undefined, true],
    ['another value: different', [sha, run], [sha, { ...run, value: 'https://github.com/o/r/actions/runs/2' }], false],
    ['one tag more: different', [sha], [sha, run], false],
  ])('%s', (_, a, b, same) => {
    expect(tagsKey(a) === tagsKey(b)).toBe(same);
  });
});
