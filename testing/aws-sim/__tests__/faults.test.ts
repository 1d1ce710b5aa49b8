import { CloudFrontClient, GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { ManualClock } from '../src/clock';
import { pushImage } from '../src/ecr-seed';
import { startSim, type Sim } from '../src/server';

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
let sim: Sim;
let ecr: ECRClient;

beforeEach(async () => {
  sim = await startSim({
    clock: new ManualClock(),
    seed: { cloudfront: { distributions: [{ id: 'E1WEBSITE00001' }] } },
  });
  ecr = new ECRClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials, maxAttempts: 10 });
  pushImage(sim, { repository: 'web', tag: 'v1' });
});
afterEach(async () => {
  ecr.destroy();
  await sim.close();
});

test('30 % throttling on ECR is retried by the SDK until every call succeeds', async () => {
  sim.control.addFault({ service: 'ecr', throttleRate: 0.3 });
  for (let i = 0; i < 10; i++) {
    const out = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(out.repositories!.map((r) => r.repositoryName)).toEqual(['web']);
  }
  const calls = sim.control.requests({ service: 'ecr', operation: 'DescribeRepositories' });
  const throttled = calls.filter((r) => r.errorCode === 'ThrottlingException');
  expect(throttled.length).toBeGreaterThan(0);
  expect(throttled.every((r) => r.injected && r.status === 400)).toBe(true);
  expect(calls.length - throttled.length).toBe(10);
});

test('throttling on CloudFront answers the XML code Throttling, which the SDK retries too', async () => {
  const cloudfront = new CloudFrontClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials, maxAttempts: 5 });
  sim.control.addFault({
    service: 'cloudfront',
    operation: 'GetDistribution',
    error: { code: 'Throttling', times: 2 },
  });
  const out = await cloudfront.send(new GetDistributionCommand({ Id: 'E1WEBSITE00001' }));
  expect(out.Distribution!.Id).toBe('E1WEBSITE00001');
  expect(sim.control.requests({ service: 'cloudfront' }).map((r) => r.errorCode)).toEqual([
    'Throttling',
    'Throttling',
    undefined,
  ]);
  cloudfront.destroy();
});

test('a one-shot injected error reaches the caller as the modeled exception, once', async () => {
  sim.control.addFault({
    service: 'ecr',
    operation: 'DescribeImages',
    error: { code: 'RepositoryNotFoundException', message: 'gone for a moment' },
  });
  const error = await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RepositoryNotFoundException);
  expect((error as Error).message).toBe('gone for a moment');
  expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }))).imageDetails).toHaveLength(1);
});

test('a 5xx is retried by the SDK', async () => {
  sim.control.addFault({
    service: 'ecr',
    operation: 'GetAuthorizationToken',
    error: { code: 'ServerException', status: 500, times: 2 },
  });
  const out = await ecr.send(new GetAuthorizationTokenCommand({}));
  expect(out.authorizationData).toHaveLength(1);
  expect(sim.control.requests({ operation: 'GetAuthorizationToken' }).map((r) => r.status)).toEqual([500, 500, 200]);
});

test('a 5xx rate on RDS (Query protocol) is retried as well', async () => {
  const rds = new RDSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials, maxAttempts: 10 });
  sim.control.addFault({ service: 'rds', serverErrorRate: 0.5 });
  for (let i = 0; i < 4; i++) expect((await rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots).toEqual([]);
  const codes = sim.control.requests({ service: 'rds' }).map((r) => r.errorCode);
  expect(codes.filter((c) => c === 'InternalFailure').length).toBeGreaterThan(0);
  expect(codes.filter((c) => c === undefined)).toHaveLength(4);
  rds.destroy();
});

test('injected latency delays the answer', async () => {
  sim.control.addFault({ service: 'ecr', operation: 'DescribeRepositories', latencyMs: 150 });
  const started = performance.now();
  await ecr.send(new DescribeRepositoriesCommand({}));
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
});

test('the request log records service, operation, params, error code and whether the call mutates', async () => {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api' }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'api' })).catch(() => undefined);
  expect(sim.control.requests({ operation: 'CreateRepository' })).toEqual([
    expect.objectContaining({
      service: 'ecr',
      region: 'us-east-1',
      params: { repositoryName: 'api' },
      status: 200,
      errorCode: undefined,
      mutating: true,
    }),
    expect.objectContaining({ status: 400, errorCode: 'RepositoryAlreadyExistsException', mutating: true }),
  ]);
  expect(sim.control.mutatingRequests()).toHaveLength(2);
});

test('the request log keeps the User-Agent, and both the log and /_sim/requests filter on it', async () => {
  const tagged = new ECRClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials,
    customUserAgent: 'shipyard/build-push/9.9.9',
  });
  await tagged.send(new DescribeRepositoriesCommand({}));
  tagged.destroy();
  await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }));
  const [own] = sim.control.requests({ userAgent: 'shipyard/build-push/' });
  expect(own).toEqual(expect.objectContaining({ operation: 'DescribeRepositories' }));
  expect(own.userAgent).toMatch(/^aws-sdk-js\/\S+ .* shipyard\/build-push\/9\.9\.9$/);
  expect(sim.control.requests({ userAgent: 'shipyard/build-push/' })).toHaveLength(1);
  const overHttp = await fetch(`${sim.endpoint}/_sim/requests?userAgent=${encodeURIComponent('shipyard/build-push/')}`);
  expect(((await overHttp.json()) as { operation: string }[]).map((r) => r.operation)).toEqual([
    'DescribeRepositories',
  ]);
});

test('no mutating call is recorded after read-only calls', async () => {
  await ecr.send(new DescribeRepositoriesCommand({}));
  await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }));
  await ecr.send(new GetAuthorizationTokenCommand({}));
  expect(sim.control.requests()).toHaveLength(3);
  expect(sim.control.mutatingRequests()).toEqual([]);
});
