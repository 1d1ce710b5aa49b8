/**
 * Budgets from the aws-sim issue, measured (not asserted): the sim starts in under 1 s and answers 1,000
 * DescribeServices calls in under 2 s. Calls are timed twice: with a bare keep-alive HTTP client (what the sim
 * costs) and with the real SDK (adds the SDK's own per-call CPU: signing, middleware, (de)serialisation).
 *   Run: npx tsx testing/aws-sim/bench/ecs-api.ts
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { startSim } from '../src/server';

const CALLS = 1_000;

const seed = {
  ecs: {
    clusters: ['prod'],
    taskDefinitions: [
      {
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'example/web:v1', portMappings: [{ containerPort: 8080 }] }],
      },
    ],
    services: ['web', 'api', 'worker'].map((serviceName) => ({
      cluster: 'prod',
      serviceName,
      taskDefinition: 'web',
      desiredCount: 4,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
    })),
  },
};

const BODY = JSON.stringify({ cluster: 'prod', services: ['web', 'api', 'worker'] });

function rawDescribeServices(endpoint: URL, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices',
          'content-length': Buffer.byteLength(BODY),
        },
      },
      (response) => {
        if (response.statusCode !== 200) reject(new Error(`DescribeServices answered ${response.statusCode}`));
        response.resume().on('end', resolve);
      },
    );
    call.on('error', reject);
    call.end(BODY);
  });
}

/** Wall-clock and CPU milliseconds for CALLS sequential calls (CPU is what matters on a busy machine). */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const at = performance.now();
  const cpuAt = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await fn();
  const cpu = process.cpuUsage(cpuAt);
  return { wall: performance.now() - at, cpu: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const sim = await startSim({ port: 0, timeScale: 60, seed });
  const startMs = performance.now() - startedAt;

  const ecs = new ECSClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIASIMULATED0000000', secretAccessKey: 'aws-sim-secret-access-key' },
  });
  const agent = new Agent({ keepAlive: true });
  const endpoint = new URL(sim.endpoint);
  await rawDescribeServices(endpoint, agent); // warm the connection
  const rawMs = await timed(() => rawDescribeServices(endpoint, agent));
  await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  const sdkMs = await timed(() =>
    ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'api', 'worker'] })),
  );
  agent.destroy();
  ecs.destroy();
  await sim.close();

  const verdict = (ms: number, budget: number) =>
    `${ms.toFixed(0)} ms (budget ${budget} ms: ${ms < budget ? 'ok' : 'OVER'})`;
  console.log(`load average ${loadavg()[0].toFixed(1)} on this machine`);
  console.log(`startSim with a seed of 3 services × 4 tasks: ${verdict(startMs, 1_000)}`);
  console.log(
    `${CALLS} sequential DescribeServices (3 services each), bare HTTP client: ${verdict(rawMs.wall, 2_000)} wall, ` +
      `${rawMs.cpu.toFixed(0)} ms CPU (sim and client)`,
  );
  console.log(
    `${CALLS} sequential DescribeServices (3 services each), AWS SDK v3 client: ${sdkMs.wall.toFixed(0)} ms wall, ` +
      `${sdkMs.cpu.toFixed(0)} ms CPU (sim and SDK)`,
  );
}

void main();
