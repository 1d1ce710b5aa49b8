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
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  ListDistributionsCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront';
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { formatViolations, modelViolations } from '../src/conformance';
import { startSim } from '../src/server';
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

  const INVALIDATION =
    '<Id>I1</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00.000Z</CreateTime>' +
    '<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a</Path></Items></Paths>' +
    '<CallerReference>r</CallerReference></InvalidationBatch>';
  const cloudfront = (body: string, fields: Partial<RequestRecord> = {}) =>
    record({ service: 'cloudfront', operation: 'GetInvalidation', responseBody: body, ...fields });
  const rds = (result: string, fields: Partial<RequestRecord> = {}) =>
    record({
      service: 'rds',
      operation: 'DescribeDBSnapshots',
      responseBody:
        `<DescribeDBSnapshotsResponse><DescribeDBSnapshotsResult>${result}</DescribeDBSnapshotsResult>` +
        '<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeDBSnapshotsResponse>',
      ...fields,
    });

  test('XML answers as the SDK reads them pass', () => {
    expect(
      modelViolations([cloudfront(`<?xml version="1.0"?><Invalidation xmlns="x">${INVALIDATION}</Invalidation>`)]),
    ).toEqual([]);
    expect(
      modelViolations([
        rds('<DBSnapshots><DBSnapshot><PercentProgress>5</PercentProgress></DBSnapshot></DBSnapshots>'),
      ]),
    ).toEqual([]);
  });

  test.each([
    [
      'REST-XML: a root element not named for the payload',
      cloudfront(`<Invalidations>${INVALIDATION}</Invalidations>`),
      'the root element is <Invalidations>, not <Invalidation>',
    ],
    [
      'REST-XML: list items under the wrong element name',
      cloudfront(`<Invalidation>${INVALIDATION.replace(/Path>/g, 'Item>')}</Invalidation>`),
      '<Item> in a list of <Path> items',
    ],
    [
      'REST-XML: a timestamp that is not ISO 8601',
      cloudfront(`<Invalidation>${INVALIDATION.replace('2026-01-01T00:00:00.000Z', '1767225600')}</Invalidation>`),
      '"1767225600" is not an ISO 8601 timestamp',
    ],
    [
      'REST-XML: an element AWS does not have',
      cloudfront(`<Invalidation>${INVALIDATION}<Colour>red</Colour></Invalidation>`),
      'unknown key "Colour"',
    ],
    [
      'REST-XML: a member given twice',
      cloudfront(`<Invalidation>${INVALIDATION}<Id>I2</Id></Invalidation>`),
      'Invalidation.Id: appears 2 times',
    ],
    [
      'REST-XML: a success with another status than the model says',
      cloudfront(`<Invalidation>${INVALIDATION}</Invalidation>`, { operation: 'CreateInvalidation' }),
      'HTTP 200 for a success, not 201',
    ],
    ['REST-XML: not XML', cloudfront('{"Invalidation":{}}'), 'not well-formed XML'],
    [
      'Query: no ResponseMetadata',
      rds('', {
        responseBody: '<DescribeDBSnapshotsResponse><DescribeDBSnapshotsResult/></DescribeDBSnapshotsResponse>',
      }),
      '<ResponseMetadata> is missing',
    ],
    [
      'Query: a result element not named for the operation',
      rds('', { operation: 'DescribeDBClusterSnapshots' }),
      'the root element is <DescribeDBSnapshotsResponse>, not <DescribeDBClusterSnapshotsResponse>',
    ],
    [
      'Query: a wrong type',
      rds('<DBSnapshots><DBSnapshot><Encrypted>yes</Encrypted></DBSnapshot></DBSnapshots>'),
      'Encrypted: must be true or false, got the string "yes"',
    ],
    [
      'Query: an error document naming another code',
      rds('', {
        status: 404,
        errorCode: 'DBSnapshotNotFound',
        responseBody: '<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>',
      }),
      'the error document does not name DBSnapshotNotFound',
    ],
    [
      'Query: an error the operation does not answer',
      rds('', {
        status: 404,
        errorCode: 'DBInstanceNotFound',
        responseBody: '<ErrorResponse><Error><Code>DBInstanceNotFound</Code></Error></ErrorResponse>',
      }),
      'error DBInstanceNotFound is not one DescribeDBSnapshots answers',
    ],
  ])('%s', (_name, answer, expected) => {
    expect(
      modelViolations([answer])
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

test('every answer of a tour of CloudFront and RDS matches the models', async () => {
  const sim = await startSim({
    timeScale: 600,
    seed: {
      cloudfront: { distributions: [{ id: 'E1WEBSITE00001', aliases: ['www.example.com'] }] },
      rds: { instances: [{ identifier: 'shop-db' }], clusters: [{ identifier: 'orders' }] },
    },
  });
  const config = {
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  };
  const cloudfront = new CloudFrontClient(config);
  const rds = new RDSClient(config);
  const failing = (promise: Promise<unknown>) => promise.catch(() => undefined);
  const batch = (paths: string[]) => ({ CallerReference: 'r1', Paths: { Quantity: paths.length, Items: paths } });
  try {
    const DistributionId = 'E1WEBSITE00001';
    const { Invalidation } = await cloudfront.send(
      new CreateInvalidationCommand({ DistributionId, InvalidationBatch: batch(['/a', '/b*']) }),
    );
    await cloudfront.send(new GetInvalidationCommand({ DistributionId, Id: Invalidation!.Id }));
    await cloudfront.send(new ListInvalidationsCommand({ DistributionId }));
    await cloudfront.send(new GetDistributionCommand({ Id: DistributionId }));
    await cloudfront.send(new ListDistributionsCommand({}));
    await failing(cloudfront.send(new CreateInvalidationCommand({ DistributionId, InvalidationBatch: batch(['/c']) })));
    await failing(cloudfront.send(new GetInvalidationCommand({ DistributionId, Id: 'INOPE' })));
    await failing(cloudfront.send(new GetDistributionCommand({ Id: 'ENOPE' })));
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 's1' }));
    await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 's1' }));
    await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'shop-db' }));
    await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders', DBClusterSnapshotIdentifier: 'c1' }),
    );
    await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'orders' }));
    await failing(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'none' })));
    await failing(rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'none', DBSnapshotIdentifier: 's2' })));
    await failing(
      rds.send(
        new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders', DBClusterSnapshotIdentifier: 'c1' }),
      ),
    );
  } finally {
    cloudfront.destroy();
    rds.destroy();
    await sim.close();
  }
  const answers = sim.control.requests();
  expect(new Set(answers.map((r) => r.service))).toEqual(new Set(['cloudfront', 'rds']));
  expect(answers.filter((r) => r.errorCode).length).toBe(6);
  const violations = modelViolations(answers);
  console.log(`aws-sim model conformance: ${answers.length} answers checked, ${formatViolations(violations)}`);
  expect(violations).toEqual([]);
});
