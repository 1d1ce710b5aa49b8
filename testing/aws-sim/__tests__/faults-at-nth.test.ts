import {
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  type ECRClientConfig,
} from '@aws-sdk/client-ecr';
import { ManualClock } from '../src/clock';
import { startSim, type Sim } from '../src/server';
import type { FiredFault } from '../src/world';

// Fault rules that fire at exactly the nth matching request, and the faults a network or proxy adds: a non-JSON
// 5xx, a dropped connection, a request never answered. Asserted through the real SDK client.

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
let sim: Sim;
const clients: ECRClient[] = [];

function ecrClient(config: ECRClientConfig = {}): ECRClient {
  const client = new ECRClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials, ...config });
  clients.push(client);
  return client;
}
const describeRepositories = (client: ECRClient) => client.send(new DescribeRepositoriesCommand({}));
const statuses = (operation: string) => sim.control.requests({ operation }).map((r) => r.status);

beforeEach(async () => {
  sim = await startSim({ clock: new ManualClock(), seed: { ecr: { repositories: [{ name: 'web' }] } } });
});
afterEach(async () => {
  clients.splice(0).forEach((client) => client.destroy());
  await sim.close();
});

test('nth: a non-retryable denial answers exactly the nth matching call', async () => {
  const ecr = ecrClient();
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 2, error: { code: 'AccessDeniedException' } });
  await describeRepositories(ecr);
  await ecr.send(new GetAuthorizationTokenCommand({}));
  const error = await describeRepositories(ecr).catch((e: unknown) => e);
  expect((error as ECRServiceException).name).toBe('AccessDeniedException');
  expect((error as ECRServiceException).$metadata.attempts).toBe(1);
  await describeRepositories(ecr);
  expect(statuses('DescribeRepositories')).toEqual([200, 400, 200]);
});

test('nth without a filter counts every request; mutating narrows it to calls that change something', async () => {
  const ecr = ecrClient({ maxAttempts: 1 });
  sim.control.addFault({ nth: 3, error: { code: 'AccessDeniedException' } });
  sim.control.addFault({ mutating: false, nth: 1, latencyMs: 1 });
  const fired: FiredFault[] = [];
  const unsubscribe = sim.control.onFault((fault) => fired.push(fault));
  await describeRepositories(ecr);
  await ecr.send(new GetAuthorizationTokenCommand({}));
  await expect(describeRepositories(ecr)).rejects.toThrow('Injected AccessDeniedException');
  unsubscribe();
  await describeRepositories(ecr);
  expect(sim.control.requests().map((r) => r.injected)).toEqual([undefined, undefined, true, undefined]);
  expect(fired.map((f) => [f.operation, f.rule.nth])).toEqual([
    ['DescribeRepositories', 1],
    ['DescribeRepositories', 3],
  ]);
});

test('nth with following: throttling that outlasts the SDK retries surfaces, the next call succeeds', async () => {
  const ecr = ecrClient({ maxAttempts: 2 });
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, following: 1, throttleRate: 1 });
  const error = await describeRepositories(ecr).catch((e: unknown) => e);
  expect((error as ECRServiceException).name).toBe('ThrottlingException');
  expect((error as ECRServiceException).$metadata.attempts).toBe(2);
  await describeRepositories(ecr);
  expect(statuses('DescribeRepositories')).toEqual([400, 400, 200]);
});

test('proxyError: a 502 HTML page, which the SDK cannot parse as AWS; retried, it succeeds', async () => {
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, proxyError: {} });
  const error = await describeRepositories(ecrClient({ maxAttempts: 1 })).catch((e: unknown) => e);
  expect((error as ECRServiceException).$metadata.httpStatusCode).toBe(502);
  expect(String((error as Error).message)).not.toMatch(/Injected/);
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, proxyError: { status: 503, body: 'busy' } });
  await describeRepositories(ecrClient());
  expect(statuses('DescribeRepositories')).toEqual([502, 503, 200]);
});

test('dropConnection: the socket closes without an answer; the SDK retries it as a network error', async () => {
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, dropConnection: true });
  const error = await describeRepositories(ecrClient({ maxAttempts: 1 })).catch((e: unknown) => e);
  expect((error as Error).message).toMatch(/socket hang up/);
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, dropConnection: true });
  await describeRepositories(ecrClient());
  expect(statuses('DescribeRepositories')).toEqual([0, 0, 200]);
});

test('hang: never answered, so only a client request timeout ends the call; the sim still closes', async () => {
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, hang: true });
  const ecr = ecrClient({ maxAttempts: 1, requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
  const error = await describeRepositories(ecr).catch((e: unknown) => e);
  expect((error as Error).name).toBe('TimeoutError');
  await describeRepositories(ecr);
  expect(statuses('DescribeRepositories')).toEqual([0, 200]);
  // A request still held when the sim closes does not keep it open.
  sim.control.addFault({ operation: 'DescribeRepositories', nth: 1, hang: true });
  const held = describeRepositories(ecrClient({ maxAttempts: 1 })).catch((e: unknown) => e);
  await new Promise((resolve) => sim.control.onFault(resolve));
  await sim.close();
  expect(await held).toBeInstanceOf(Error);
});
