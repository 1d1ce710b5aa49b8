import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { RenderChanges } from '../src/render';
import { checkEcsRules, checkReferences, fargatePairAllowed } from '../src/validate';
import { fargate } from './fixtures/task-definitions';

const ORIGIN = 'file "td.json"';

const withContainer = (fields: object, index = 0): RegisterTaskDefinitionRequest => ({
  ...fargate,
  containerDefinitions: fargate.containerDefinitions!.map((c, i) => (i === index ? { ...c, ...fields } : c)),
});

describe('checkEcsRules', () => {
  test('a valid Fargate task definition passes', () => {
    expect(() => checkEcsRules(fargate, ORIGIN)).not.toThrow();
  });

  test.each([
    [{ ...fargate, family: undefined }, '"family" is missing'],
    [{ ...fargate, family: 'web app' }, '"family" "web app" must have up to 255 letters, digits, _ and -'],
    [withContainer({ image: '' }), 'container "web" has no "image"'],
    [withContainer({ name: 'web' }, 1), 'container "web" is defined twice'],
    [
      withContainer({ essential: false }),
      'no container is essential: at least one needs "essential": true (the default)',
    ],
    [
      withContainer({ portMappings: [{ containerPort: 8080, hostPort: 80 }] }),
      'container "web" maps host port 80 to container port 8080; with awsvpc networking the host port must equal the container port (or be left out)',
    ],
    [withContainer({ links: ['envoy'] }), 'container "web" uses "links", which awsvpc networking does not support'],
    [
      withContainer({ dependsOn: [{ containerName: 'db', condition: 'START' }] }),
      'container "web" depends on "db", which is not another container',
    ],
    [
      withContainer({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } } }),
      'container "web" logs with awslogs on Fargate, which needs "awslogs-stream-prefix"',
    ],
    [{ ...fargate, networkMode: 'bridge' }, 'Fargate needs "networkMode": "awsvpc", got "bridge"'],
    [{ ...fargate, cpu: undefined }, 'Fargate needs task-level "cpu" and "memory"'],
    [
      { ...fargate, memory: '4096' },
      'Fargate has no size with cpu 256 and memory 4096: with cpu 256, memory must be 512, or 1024 to 2048 in steps of 1024',
    ],
    [
      { ...fargate, cpu: '300' },
      'Fargate has no size with cpu 300 and memory 512: cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    ],
    [{ ...fargate, cpu: 'fast' }, 'task "cpu" "fast" is not CPU units or vCPUs'],
    [
      withContainer({ memoryReservation: 1024 }),
      "the containers reserve 1024 MiB of memory in total, more than the task's 512 MiB",
    ],
    [
      { family: 'web', containerDefinitions: [{ name: 'web', image: 'x' }] },
      'container "web" needs "memory" or "memoryReservation" when the task sets no "memory"',
    ],
  ])('%#: %s', (request, problem) => {
    expect(() => checkEcsRules(request as RegisterTaskDefinitionRequest, ORIGIN)).toThrow(
      `The task definition (file "td.json") breaks ECS rules: ${problem}.`,
    );
  });

  test('lists every problem, the first one in the message line', () => {
    const request = { ...fargate, family: '', cpu: '300', containerDefinitions: [{ name: 'web', image: '' }] };
    expect(() => checkEcsRules(request, ORIGIN)).toThrow(
      'The task definition (file "td.json") breaks ECS rules: "family" "" must have up to 255 letters, digits, _ and - (and 2 more problems).\n' +
        '  - "family" "" must have up to 255 letters, digits, _ and -\n' +
        '  - container "web" has no "image"\n' +
        '  - Fargate has no size with cpu 300 and memory 512: cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    );
  });
});

describe('fargatePairAllowed', () => {
  test.each([
    [256, 512, true],
    [256, 1024, true],
    [256, 1536, false],
    [512, 4096, true],
    [1024, 1024, false],
    [2048, 16384, true],
    [4096, 30720, true],
    [8192, 20480, true],
    [8192, 18432, false],
    [16384, 122880, true],
  ])('cpu %d memory %d → %s', (cpu, memory, allowed) => {
    expect(fargatePairAllowed(cpu, memory)).toBe(allowed);
  });
});

describe('checkReferences', () => {
  const none: RenderChanges = { images: {}, env: [], secrets: [], tags: {} };

  test('passes when every named container exists', () => {
    expect(() =>
      checkReferences(
        fargate,
        { ...none, container: 'web', images: { envoy: 'e:2' }, env: [{ name: 'A', value: '1' }] },
        ORIGIN,
      ),
    ).not.toThrow();
  });

  test.each([
    [
      { ...none, images: { wbe: 'x:1' } },
      'Input "images" names the container "wbe", but the task definition (file "td.json") has the containers "web", "envoy".',
    ],
    [
      { ...none, container: 'api' },
      'Input "container" names the container "api", but the task definition (file "td.json") has the containers "web", "envoy".',
    ],
    [
      { ...none, secrets: [{ container: 'db', name: 'P', value: 'arn' }] },
      'Input "secrets" names the container "db", but the task definition (file "td.json") has the containers "web", "envoy".',
    ],
    [
      { ...none, env: [{ name: 'LOG_LEVEL', value: 'debug' }] },
      'Input "env" sets LOG_LEVEL without naming a container, but the task definition (file "td.json") has 2 containers ("web", "envoy"): set "container", or prefix the key (container.KEY=value).',
    ],
    [
      { ...none, command: ['npm', 'start'] },
      'Input "command" is set without naming a container, but the task definition (file "td.json") has 2 containers ("web", "envoy"): set "container", or prefix the key (container.KEY=value).',
    ],
  ])('%#', (changes, message) => {
    expect(() => checkReferences(fargate, changes, ORIGIN)).toThrow(message);
  });
});
