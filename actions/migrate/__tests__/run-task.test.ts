import type { Service } from '@aws-sdk/client-ecs';
import type { EcsInputs } from '../src/inputs';
import { buildRunTaskInput, resolvePlacement, taskTags } from '../src/run-task';

const inputs: EcsInputs = {
  mode: 'ecs',
  region: 'us-east-1',
  environment: {},
  timeoutMs: 60_000,
  logLines: 30,
  cluster: 'aiponge-cluster',
  taskDefinition: 'aiponge-api-gateway:12',
  family: 'aiponge-api-gateway',
  container: 'api-gateway',
  command: ['npm', 'run', 'db:push'],
  startedBy: 'migrate-aiponge',
  concurrencyPolicy: 'refuse',
};

const service: Service = {
  serviceName: 'aiponge-api-gateway',
  launchType: undefined,
  capacityProviderStrategy: [
    { capacityProvider: 'FARGATE', weight: 0, base: 1 },
    { capacityProvider: 'FARGATE_SPOT', weight: 4, base: 0 },
  ],
  platformVersion: '1.4.0',
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-app'], assignPublicIp: 'DISABLED' },
  },
};

describe('resolvePlacement', () => {
  test.each<[string, Partial<EcsInputs>, Service | undefined, object]>([
    ['nothing given, no service: the cluster default', {}, undefined, {}],
    [
      'everything copied from the service',
      {},
      service,
      {
        awsvpcConfiguration: service.networkConfiguration?.awsvpcConfiguration,
        capacityProviderStrategy: service.capacityProviderStrategy,
        platformVersion: '1.4.0',
      },
    ],
    [
      'a launch-type service',
      {},
      { launchType: 'FARGATE', capacityProviderStrategy: [], platformVersion: 'LATEST' },
      { launchType: 'FARGATE' },
    ],
    [
      'explicit network wins, capacity still copied',
      { network: { subnets: ['subnet-x'], securityGroups: [], assignPublicIp: 'ENABLED' } },
      service,
      {
        awsvpcConfiguration: { subnets: ['subnet-x'], assignPublicIp: 'ENABLED' },
        capacityProviderStrategy: service.capacityProviderStrategy,
        platformVersion: '1.4.0',
      },
    ],
    [
      'explicit launch type wins over the service strategy, network still copied',
      { launchType: 'FARGATE' },
      service,
      { awsvpcConfiguration: service.networkConfiguration?.awsvpcConfiguration, launchType: 'FARGATE' },
    ],
    [
      'explicit strategy wins',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
      { ...service, networkConfiguration: undefined },
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
    ],
  ])('%s', (_name, overrides, source, expected) => {
    expect(resolvePlacement({ ...inputs, ...overrides }, source)).toEqual(expected);
  });
});

describe('taskTags', () => {
  test.each([
    [{}, []],
    [
      { sha: 'abc123', runId: '77', repository: 'acme/app' },
      [
        { key: 'shipyard:git-sha', value: 'abc123' },
        { key: 'shipyard:github-run-id', value: '77' },
        { key: 'shipyard:github-repository', value: 'acme/app' },
      ],
    ],
    [{ sha: 'abc123', runId: '' }, [{ key: 'shipyard:git-sha', value: 'abc123' }]],
  ])('%j → %j', (tags, expected) => {
    expect(taskTags(tags)).toEqual(expected);
  });
});

describe('buildRunTaskInput', () => {
  test('one task, started by the group, the migration container overridden, placement and tags applied', () => {
    const placement = resolvePlacement(inputs, service);
    const tags = taskTags({ sha: 'abc', runId: '1' });
    expect(
      buildRunTaskInput({ inputs: { ...inputs, environment: { NODE_ENV: 'production' } }, placement, tags }),
    ).toEqual({
      cluster: 'aiponge-cluster',
      taskDefinition: 'aiponge-api-gateway:12',
      count: 1,
      startedBy: 'migrate-aiponge',
      overrides: {
        containerOverrides: [
          {
            name: 'api-gateway',
            command: ['npm', 'run', 'db:push'],
            environment: [{ name: 'NODE_ENV', value: 'production' }],
          },
        ],
      },
      capacityProviderStrategy: service.capacityProviderStrategy,
      platformVersion: '1.4.0',
      networkConfiguration: { awsvpcConfiguration: service.networkConfiguration?.awsvpcConfiguration },
      tags,
    });
  });

  test('no network, no tags: the keys are left out rather than sent empty', () => {
    const input = buildRunTaskInput({ inputs: { ...inputs, command: undefined }, placement: {}, tags: [] });
    expect(input).toEqual({
      cluster: 'aiponge-cluster',
      taskDefinition: 'aiponge-api-gateway:12',
      count: 1,
      startedBy: 'migrate-aiponge',
      overrides: { containerOverrides: [{ name: 'api-gateway' }] },
    });
  });
});
