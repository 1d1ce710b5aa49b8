import { DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startSim } from '../src/server';
import { fargateTaskDefinition, startWithClients, webSeed, type SimClients } from './ecs-helpers';

const awslogs = {
  logDriver: 'awslogs' as const,
  options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' },
};

function seedWithLogs(logGroups: string[]) {
  const seed = webSeed();
  seed.ecs.taskDefinitions = [
    fargateTaskDefinition('web', 'example/web:v1', {
      containerDefinitions: [{ name: 'app', image: 'example/web:v1', logConfiguration: awslogs }],
    }),
  ];
  return { ...seed, logs: { logGroups } };
}

describe('seed documents', () => {
  let clients: SimClients | undefined;
  afterEach(() => clients?.close());

  it('starts seeded tasks that write their scenario lines through awslogs', async () => {
    clients = await startWithClients({
      manual: true,
      seed: { ...seedWithLogs(['/ecs/web']), scenarios: [{ image: 'example/web:v1', logs: ['listening on :8080'] }] },
    });
    const streams = await clients.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/web' }));
    expect(streams.logStreams).toHaveLength(2);
    expect(streams.logStreams![0].logStreamName).toMatch(/^web\/app\/[0-9a-f]{32}$/);
    const events = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: streams.logStreams![0].logStreamName }),
    );
    expect(events.events!.map((e) => e.message)).toEqual(['listening on :8080']);
  });

  it('refuses what AWS would have refused, naming the entry', async () => {
    const seed = webSeed();
    seed.ecs.taskDefinitions = [fargateTaskDefinition('web', 'example/web:v1', { cpu: '1024', memory: '1024' })];
    await expect(startSim({ seed })).rejects.toThrow(
      /^aws-sim seed: ecs\.taskDefinitions\[0\] \(web\): ClientException: No Fargate configuration exists/,
    );
    await expect(startSim({ seed: seedWithLogs([]) })).rejects.toThrow(
      /log group that does not exist; seed it under "logs.logGroups"/,
    );
  });
});
