import { CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import {
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { formatViolations, modelViolations } from '../src/conformance';
import type { RequestRecord } from '../src/world';
import { fargateTaskDefinition, NETWORK, startWithClients } from './ecs-helpers';

// aws-sim against the AWS API models: a tour of the operations the actions call, answers and errors alike, every
// answer checked (the contract and e2e suites check theirs when they close their sims, see ecs-helpers.ts).

const record = (fields: Partial<RequestRecord>): RequestRecord => ({
  seq: 1,
  realTime: 0,
  simTime: 0,
  service: 'ecs',
  operation: 'DescribeClusters',
  region: 'us-east-1',
  params: {},
  status: 200,
  mutating: false,
  responseBody: '{}',
  ...fields,
});

describe('modelViolations', () => {
  test.each([
    [
      'a member AWS does not have',
      { responseBody: '{"clusters":[{"clusterName":"a","colour":"red"}]}' },
      'unknown key "colour"',
    ],
    [
      'an enum value AWS does not have',
      { operation: 'DescribeServices', responseBody: '{"services":[{"launchType":"LAMBDA"}]}' },
      '"LAMBDA" is not one of',
    ],
    ['a wrong type', { responseBody: '{"clusters":[{"runningTasksCount":"2"}]}' }, 'must be a whole number'],
    ['a null', { responseBody: '{"clusters":null}' }, 'must be a list, got null'],
    [
      'a required member missing',
      {
        operation: 'DescribeServices',
        responseBody: '{"services":[{"deploymentConfiguration":{"alarms":{"alarmNames":[],"enable":false}}}]}',
      },
      '"rollback" is required',
    ],
    [
      'an error the operation does not answer',
      { status: 400, errorCode: 'ServiceNotFoundException' },
      'error ServiceNotFoundException is not one DescribeClusters answers',
    ],
    [
      'an operation AWS does not have',
      { operation: 'DescribeEverything' },
      'DescribeEverything is not an operation of ecs',
    ],
  ])('%s', (_name, fields, expected) => {
    expect(
      modelViolations([record(fields)])
        .map((v) => v.message)
        .join('\n'),
    ).toContain(expected);
  });

  test('common errors and listed errors pass', () => {
    expect(
      modelViolations([record({ status: 400, errorCode: 'ClusterNotFoundException', operation: 'DescribeServices' })]),
    ).toEqual([]);
    expect(modelViolations([record({ status: 400, errorCode: 'ThrottlingException' })])).toEqual([]);
  });
});

test('every answer of a tour of ECS, ECR and CloudWatch Logs matches the models', async () => {
  const clients = await startWithClients({
    timeScale: 600,
    seed: {
      ecs: {
        clusters: ['prod'],
        taskDefinitions: [fargateTaskDefinition('web', 'repo/web:v1')],
        services: [
          {
            cluster: 'prod',
            serviceName: 'web',
            taskDefinition: 'web',
            desiredCount: 1,
            launchType: 'FARGATE',
            networkConfiguration: NETWORK,
          },
        ],
      },
      logs: { logGroups: ['/ecs/web'] },
    },
  });
  const { ecs, logs, sim } = clients;
  const ecr = new ECRClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
  const failing = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      () => undefined,
    );
  try {
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...fargateTaskDefinition('web', 'repo/web:v2'),
        tags: [{ key: 'a', value: 'b' }],
      }),
    );
    const arn = registered.taskDefinition!.taskDefinitionArn!;
    await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
    await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    await ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'missing'] }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: arn }));
    await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'missing'] }));
    const deployments = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    await ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: deployments.serviceDeployments!.map((d) => d.serviceDeploymentArn!),
      }),
    );
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: arn,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: run.tasks!.map((t) => t.taskArn!) }));
    await ecs.send(new ListTasksCommand({ cluster: 'prod' }));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    await failing(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:9' })));
    await failing(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'missing', taskDefinition: arn })));
    await failing(ecs.send(new DescribeServicesCommand({ cluster: 'missing', services: ['web'] })));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/web', logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: 'hi' }],
      }),
    );
    await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 's' }));
    await failing(logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/none', logStreamName: 's' })));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'web' }));
    await ecr.send(new DescribeRepositoriesCommand({}));
    await ecr.send(new GetAuthorizationTokenCommand({}));
    await failing(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['none'] })));
  } finally {
    ecr.destroy();
    await clients.close();
  }
  const answers = sim.control.requests();
  const violations = modelViolations(answers);
  console.log(`aws-sim model conformance: ${answers.length} answers checked, ${formatViolations(violations)}`);
  expect(violations).toEqual([]);
});
