import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { contentKey, normalizeTaskDefinition, tagsKey, taskDefinitionChanges } from '../src/normalize';
import { render, toRegisterRequest, type RenderChanges } from '../src/render';
import { described } from './fixtures/task-definitions';

const none: RenderChanges = { images: {}, env: [], secrets: [], tags: {} };

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

describe('contentKey: the defaults ECS fills in', () => {
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
    expect(contentKey(revision) === contentKey(request)).toBe(same);
  });

  test.each([
    ['awsvpc: hostPort and tcp filled in', 'awsvpc', [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }], true],
    ['awsvpc: udp differs', 'awsvpc', [{ containerPort: 80, hostPort: 80, protocol: 'udp' }], false],
    ['bridge: a hostPort is not implied', 'bridge', [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }], false],
  ])('%s', (_, networkMode, revisionPorts, same) => {
    const ask = contentKey(withPorts(networkMode, [{ containerPort: 80 }]));
    expect(contentKey(withPorts(networkMode, revisionPorts)) === ask).toBe(same);
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

describe('taskDefinitionChanges', () => {
  // What DescribeTaskDefinition answers for a file that leaves every default out (the phantom changes of issue 14).
  const file = {
    family: 'web',
    networkMode: 'awsvpc',
    cpu: '0.25 vCPU',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: 'repo/web:v1',
        portMappings: [{ containerPort: 80 }],
        environment: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
      },
    ],
  };
  const revision = {
    ...file,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    revision: 2,
    status: 'ACTIVE',
    cpu: '256',
    volumes: [],
    placementConstraints: [],
    containerDefinitions: [
      {
        name: 'web',
        image: 'repo/web:v1',
        cpu: 0,
        essential: true,
        portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
        environment: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
      },
    ],
  };

  test('a file identical to the running revision has no changes and the same content', () => {
    expect(taskDefinitionChanges(revision, file)).toEqual([]);
    expect(contentKey(file)).toBe(contentKey(revision));
  });

  test('task settings outside the images, sizes and containers are named', () => {
    expect(taskDefinitionChanges(revision, { ...file, executionRoleArn: 'arn:aws:iam::1:role/x' })).toEqual([
      { scope: 'task', what: 'other settings', after: 'executionRoleArn changed' },
    ]);
  });

  test('a difference the summary lines do not read is named by its path', () => {
    const named = {
      ...file,
      containerDefinitions: [{ ...file.containerDefinitions[0], portMappings: [{ containerPort: 80, name: 'http' }] }],
    };
    expect(taskDefinitionChanges(revision, named)).toEqual([
      { scope: 'task', what: 'other settings', after: 'containerDefinitions[0].portMappings[0].name changed' },
    ]);
  });

  test('no changes exactly when the content is the same (property)', () => {
    const container = fc.record(
      {
        name: fc.constantFrom('web', 'envoy'),
        image: fc.constantFrom('repo/web:v1', 'repo/web:v2'),
        cpu: fc.constantFrom(0, 128),
        essential: fc.boolean(),
        portMappings: fc.array(
          fc.record(
            { containerPort: fc.constantFrom(80, 8080), protocol: fc.constantFrom('tcp', 'udp') },
            { requiredKeys: ['containerPort'] },
          ),
          { maxLength: 2 },
        ),
        environment: fc.array(fc.record({ name: fc.constantFrom('A', 'B'), value: fc.constantFrom('1', '2') }), {
          maxLength: 2,
        }),
        command: fc.constantFrom(undefined, ['npm', 'start']),
      },
      { requiredKeys: ['name', 'image'] },
    );
    const taskDefinition = fc.record(
      {
        family: fc.constant('web'),
        networkMode: fc.constantFrom('awsvpc', 'bridge'),
        executionRoleArn: fc.constantFrom('arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'),
        memory: fc.constantFrom('512', '1 GB', '1024'),
        containerDefinitions: fc.uniqueArray(container, { minLength: 1, maxLength: 2, selector: (c) => c.name }),
      },
      { requiredKeys: ['family', 'containerDefinitions'] },
    );
    fc.assert(
      fc.property(taskDefinition, taskDefinition, (a, b) => {
        const same = contentKey(a) === contentKey(b);
        return (taskDefinitionChanges(a, b).length === 0) === same;
      }),
    );
  });

  test('normalising twice changes nothing', () => {
    const once = normalizeTaskDefinition(revision);
    expect(normalizeTaskDefinition(once)).toEqual(once);
  });
});
