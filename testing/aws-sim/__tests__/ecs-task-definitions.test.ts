import {
  ClientException,
  CreateClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { fargateTaskDefinition, startWithClients, type SimClients } from './ecs-helpers';

let clients: SimClients;

beforeEach(async () => {
  clients = await startWithClients({ manual: true });
});
afterEach(() => clients.close());

const register = (input: RegisterTaskDefinitionCommandInput) =>
  clients.ecs.send(new RegisterTaskDefinitionCommand(input));

describe('RegisterTaskDefinition / DescribeTaskDefinition', () => {
  it('numbers revisions per family, applies container defaults and returns tags on request', async () => {
    const first = await register({
      ...fargateTaskDefinition('web', 'example/web:v1'),
      tags: [{ key: 'team', value: 'core' }],
    });
    const second = await register(fargateTaskDefinition('web', 'example/web:v2'));
    const other = await register(fargateTaskDefinition('worker', 'example/worker:v1'));

    expect(first.taskDefinition?.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
    expect(second.taskDefinition?.revision).toBe(2);
    expect(other.taskDefinition?.revision).toBe(1);
    expect(first.taskDefinition?.containerDefinitions?.[0]).toMatchObject({ name: 'app', essential: true, cpu: 0 });
    expect(first.taskDefinition?.compatibilities).toEqual(['EC2', 'FARGATE']);
    expect(first.tags).toEqual([{ key: 'team', value: 'core' }]);

    const latest = await clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web', include: ['TAGS'] }),
    );
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.tags).toEqual([]);
    const tagged = await clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1', include: ['TAGS'] }),
    );
    expect(tagged.tags).toEqual([{ key: 'team', value: 'core' }]);
    const untagged = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(untagged.tags).toBeUndefined();
  });

  it('normalises task sizes given with units', async () => {
    const result = await register(fargateTaskDefinition('web', 'example/web:v1', { cpu: '1 vCPU', memory: '2 GB' }));
    expect(result.taskDefinition).toMatchObject({ cpu: '1024', memory: '2048' });
  });

  it('answers ClientException for a task definition that does not exist', async () => {
    await expect(
      clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:3' })),
    ).rejects.toBeInstanceOf(ClientException);
  });

  const base = fargateTaskDefinition('web', 'example/web:v1');
  const container = base.containerDefinitions[0];
  test.each<[string, Partial<RegisterTaskDefinitionCommandInput>, string]>([
    ['family with invalid characters', { family: 'web.app' }, 'Family contains invalid characters.'],
    ['no containers', { containerDefinitions: [] }, 'Container list cannot be empty.'],
    [
      'container without a name',
      { containerDefinitions: [{ ...container, name: undefined }] },
      'Container.name should not be null or empty.',
    ],
    [
      'container name with a space',
      { containerDefinitions: [{ ...container, name: 'my app' }] },
      'Container.name contains invalid characters.',
    ],
    [
      'container without an image',
      { containerDefinitions: [{ ...container, image: undefined }] },
      'Container.image should not be null or empty.',
    ],
    [
      'duplicate container names',
      { containerDefinitions: [container, container] },
      'Duplicate container name found: app.',
    ],
    [
      'no essential container',
      { containerDefinitions: [{ ...container, essential: false }] },
      "Task definition doesn't have any essential container.",
    ],
    ['Fargate in bridge mode', { networkMode: 'bridge' }, 'Fargate only supports network mode ‘awsvpc’.'],
    ['Fargate without task cpu', { cpu: undefined }, "Fargate requires that 'cpu' be defined at the task level."],
    [
      'Fargate size that does not exist',
      { cpu: '1024', memory: '1024' },
      'No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values.',
    ],
    [
      'awslogs without options',
      {
        containerDefinitions: [
          { ...container, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } } },
        ],
      },
      'Log driver awslogs requires options: awslogs-region',
    ],
    [
      'awslogs on Fargate without an execution role',
      {
        executionRoleArn: undefined,
        containerDefinitions: [
          {
            ...container,
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1' },
            },
          },
        ],
      },
      'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
    ],
    [
      'EC2 container without memory',
      { requiresCompatibilities: ['EC2'], networkMode: 'bridge', cpu: undefined, memory: undefined },
      "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
    ],
  ])('rejects %s with ClientException', async (_case, change, message) => {
    const error = await register({ ...base, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientException);
    expect((error as Error).message).toBe(message);
  });
});

describe('ListTaskDefinitions / DeregisterTaskDefinition', () => {
  beforeEach(async () => {
    for (const family of ['web', 'web', 'web', 'worker'])
      await register(fargateTaskDefinition(family, `example/${family}:v1`));
  });

  it('filters by family and status, sorts, pages and deregisters', async () => {
    const asc = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    expect(asc.taskDefinitionArns?.map((arn) => arn.split('/')[1])).toEqual(['web:1', 'web:2', 'web:3']);
    const desc = await clients.ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2 }));
    expect(desc.taskDefinitionArns?.map((arn) => arn.split('/')[1])).toEqual(['worker:1', 'web:3']);
    const rest = await clients.ecs.send(
      new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 2, nextToken: desc.nextToken }),
    );
    expect(rest.taskDefinitionArns?.map((arn) => arn.split('/')[1])).toEqual(['web:2', 'web:1']);
    expect(rest.nextToken).toBeUndefined();

    const deregistered = await clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:3' }));
    expect(deregistered.taskDefinition?.status).toBe('INACTIVE');
    const inactive = await clients.ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns?.map((arn) => arn.split('/')[1])).toEqual(['web:3']);
    const latest = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    const families = await clients.ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'w' }));
    expect(families.families).toEqual(['web', 'worker']);
  });

  it('needs a revision to deregister', async () => {
    await expect(
      clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web' })),
    ).rejects.toBeInstanceOf(ClientException);
  });
});

describe('TagResource / UntagResource / ListTagsForResource', () => {
  it('tags task definitions and clusters', async () => {
    const td = await register(fargateTaskDefinition('web', 'example/web:v1'));
    const cluster = await clients.ecs.send(
      new CreateClusterCommand({ clusterName: 'prod', tags: [{ key: 'env', value: 'prod' }] }),
    );
    const tdArn = td.taskDefinition!.taskDefinitionArn!;
    await clients.ecs.send(
      new TagResourceCommand({
        resourceArn: tdArn,
        tags: [
          { key: 'commit', value: 'abc' },
          { key: 'env', value: 'prod' },
        ],
      }),
    );
    await clients.ecs.send(new UntagResourceCommand({ resourceArn: tdArn, tagKeys: ['env'] }));
    await clients.ecs.send(
      new TagResourceCommand({
        resourceArn: cluster.cluster!.clusterArn!,
        tags: [{ key: 'env', value: 'production' }],
      }),
    );

    const tdTags = await clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: tdArn }));
    expect(tdTags.tags).toEqual([{ key: 'commit', value: 'abc' }]);
    const clusterTags = await clients.ecs.send(
      new ListTagsForResourceCommand({ resourceArn: cluster.cluster!.clusterArn! }),
    );
    expect(clusterTags.tags).toEqual([{ key: 'env', value: 'production' }]);
  });
});
