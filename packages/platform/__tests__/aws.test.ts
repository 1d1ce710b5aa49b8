import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { createClient, iamOperationName, resolveRegion, type ShipyardClientConfig } from '../src/aws';
import { SHIPYARD_VERSION } from '../src/constants';
import { ConfigError, describeError } from '../src/errors';
import sharedPackage from '../package.json';

const REGION_ERROR =
  'No AWS region: set the region input, or AWS_REGION or AWS_DEFAULT_REGION ' +
  '(aws-actions/configure-aws-credentials sets both).';

describe('resolveRegion', () => {
  test.each<[string | undefined, NodeJS.ProcessEnv, string]>([
    ['eu-west-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'eu-west-1'],
    [' eu-west-1 ', {}, 'eu-west-1'],
    ['', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, 'us-east-1'],
    [undefined, { AWS_REGION: 'us-east-1' }, 'us-east-1'],
    [undefined, { AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    ['  ', { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
  ])('input %j with %j → %s', (input, env, expected) => expect(resolveRegion(input, env)).toBe(expected));

  test.each<[string | undefined, NodeJS.ProcessEnv]>([
    [undefined, {}],
    ['', { AWS_REGION: '', AWS_DEFAULT_REGION: '  ' }],
  ])('input %j with %j → ConfigError', (input, env) => {
    expect(() => resolveRegion(input, env)).toThrow(new ConfigError(REGION_ERROR));
    expect(() => resolveRegion(input, env)).toThrow(ConfigError);
  });
});

describe('iamOperationName', () => {
  test.each([
    ['ECSClient', 'UpdateServiceCommand', 'ecs:UpdateService'],
    ['ECRClient', 'PutImageCommand', 'ecr:PutImage'],
    ['CloudFrontClient', 'CreateInvalidationCommand', 'cloudfront:CreateInvalidation'],
    ['CloudWatchLogsClient', 'GetLogEventsCommand', 'logs:GetLogEvents'],
    ['ElasticLoadBalancingV2Client', 'DescribeTargetHealthCommand', 'elasticloadbalancing:DescribeTargetHealth'],
    ['RDSClient', 'CreateDBSnapshotCommand', 'rds:CreateDBSnapshot'],
  ])('%s + %s → %s', (client, command, expected) => expect(iamOperationName(client, command)).toBe(expected));
});

describe('createClient', () => {
  afterEach(() => {
    for (const key of Object.keys(process.env))
      if (key.startsWith('AWS_') && key !== 'AWS_EC2_METADATA_DISABLED') delete process.env[key];
  });

  test('the version in the user agent is the package version', () => {
    expect(SHIPYARD_VERSION).toBe(sharedPackage.version);
    expect(SHIPYARD_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('hands any client constructor the Shipyard config', () => {
    const received: ShipyardClientConfig[] = [];
    class FakeClient {
      constructor(config: ShipyardClientConfig) {
        received.push(config);
      }
    }
    process.env.AWS_DEFAULT_REGION = 'ap-south-1';
    expect(createClient(FakeClient, { action: 'migrate', maxAttempts: 4 })).toBeInstanceOf(FakeClient);
    expect(received).toEqual([
      {
        region: 'ap-south-1',
        maxAttempts: 4,
        retryMode: 'adaptive',
        customUserAgent: `shipyard/migrate/${SHIPYARD_VERSION}`,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
      },
    ]);
  });

  test('an ECS client gets the region, adaptive retries and max attempts', async () => {
    process.env.AWS_REGION = 'us-east-1';
    const client = createClient(ECSClient, { action: 'ecs-deploy', region: 'eu-central-1', maxAttempts: 7 });
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(7);
    const retryStrategy = await client.config.retryStrategy();
    expect(retryStrategy).toMatchObject({ mode: 'adaptive' });
    expect(retryStrategy.constructor.name).toBe('AdaptiveRetryStrategy');
    expect(client.config.customUserAgent).toEqual([[`shipyard/ecs-deploy/${SHIPYARD_VERSION}`]]);
  });

  test('without maxAttempts the SDK default applies (AWS_MAX_ATTEMPTS or 3)', async () => {
    process.env.AWS_REGION = 'us-east-1';
    expect(await createClient(ECSClient, { action: 'ecs-deploy' }).config.maxAttempts()).toBe(3);
    process.env.AWS_MAX_ATTEMPTS = '6';
    expect(await createClient(ECSClient, { action: 'ecs-deploy' }).config.maxAttempts()).toBe(6);
  });

  test('without any region it fails before building the client', () => {
    expect(() => createClient(ECSClient, { action: 'ecs-deploy' })).toThrow(new ConfigError(REGION_ERROR));
  });

  describe('against a loopback endpoint', () => {
    interface Recorded {
      headers: IncomingHttpHeaders;
      body: string;
    }
    let server: Server;
    let requests: Recorded[];
    let respond: (res: import('node:http').ServerResponse) => void;

    beforeEach(async () => {
      requests = [];
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          requests.push({ headers: req.headers, body });
          respond(res);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      Object.assign(process.env, {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'AKIDSHIPYARDTEST',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_REGION: 'eu-west-1',
      });
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const json = (status: number, body: unknown) => (res: import('node:http').ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    };

    test('AWS_ENDPOINT_URL, env credentials and the user agent reach the wire', async () => {
      respond = json(200, { clusterArns: ['arn:aws:ecs:eu-west-1:123456789012:cluster/prod'] });
      const client = createClient(ECSClient, { action: 'ecs-deploy' });
      const output = await client.send(new ListClustersCommand({}));
      expect(output.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:123456789012:cluster/prod']);
      expect(requests).toHaveLength(1);
      const { headers } = requests[0];
      expect(headers['x-amz-target']).toBe('AmazonEC2ContainerServiceV20141113.ListClusters');
      expect(headers.authorization).toMatch(/Credential=AKIDSHIPYARDTEST\/\d{8}\/eu-west-1\/ecs\/aws4_request/);
      expect(String(headers['user-agent']).split(' ')).toContain(`shipyard/ecs-deploy/${SHIPYARD_VERSION}`);
      expect(String(headers['x-amz-user-agent']).split(' ')).toContain(`shipyard/ecs-deploy/${SHIPYARD_VERSION}`);
    });

    test('the service-specific AWS_ENDPOINT_URL_ECS wins over AWS_ENDPOINT_URL', async () => {
      respond = json(200, { clusterArns: [] });
      process.env.AWS_ENDPOINT_URL_ECS = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
      await createClient(ECSClient, { action: 'ecs-deploy' }).send(new ListClustersCommand({}));
      expect(requests).toHaveLength(1);
    });

    test('a failed call is described with its IAM operation name', async () => {
      respond = json(400, { __type: 'AccessDeniedException', message: 'not authorized to perform ecs:ListClusters' });
      const client = createClient(ECSClient, { action: 'ecs-deploy', maxAttempts: 1 });
      const error = await client.send(new ListClustersCommand({})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('AccessDeniedException');
      expect(describeError(error)).toBe(
        'ecs:ListClusters failed: AccessDeniedException: not authorized to perform ecs:ListClusters',
      );
    });
  });
});

describe('createClient with a cancellation signal', () => {
  test('reads carry the signal; a change in flight is left to finish', async () => {
    const { DescribeServicesCommand, UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
    const seen: { operation: string; signal?: AbortSignal }[] = [];
    class FakeClient {
      async send(command: { schema: unknown[] }, options?: { abortSignal?: AbortSignal }) {
        seen.push({ operation: String(command.schema[2]), signal: options?.abortSignal });
        return {};
      }
    }
    process.env.AWS_REGION = 'us-east-1';
    const signal = new AbortController().signal;
    const client = createClient(FakeClient, { action: 'ecs-deploy', signal }) as unknown as FakeClient;
    await client.send(new DescribeServicesCommand({ services: ['web'] }) as never);
    await client.send(new UpdateServiceCommand({ service: 'web' }) as never);
    expect(seen).toEqual([
      { operation: 'DescribeServices', signal },
      { operation: 'UpdateService', signal: undefined },
    ]);
  });
});
