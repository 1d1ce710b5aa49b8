import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { webSeed } from './ecs-helpers';

const CLI = join(__dirname, '..', 'bin', 'aws-sim.mjs');

function startCli(args: string[]): {
  child: ChildProcess;
  exports: Promise<Record<string, string>>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const exports = new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.includes('# aws-sim listening')) return;
      const pairs = [...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]);
      resolve(Object.fromEntries(pairs));
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => reject(new Error(`aws-sim exited with ${code}: ${stderr}`)));
  });
  return { child, exports, exited };
}

describe('aws-sim CLI', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'aws-sim-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a seed, prints the export lines, exposes /_sim/ and stops on SIGINT', async () => {
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ ...webSeed(), scenarios: [{ image: 'example/web:v1', logs: ['up'] }] }));
    const cli = startCli(['--port', '0', '--seed', seedFile, '--time-scale', '60']);
    try {
      const env = await cli.exports;
      expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(env).toMatchObject({ AWS_REGION: 'us-east-1', GITHUB_API_URL: env.AWS_ENDPOINT_URL });
      const endpoint = env.AWS_ENDPOINT_URL;

      const ecs = new ECSClient({
        endpoint,
        region: env.AWS_REGION,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
        maxAttempts: 1,
      });
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
      expect(services![0]).toMatchObject({
        runningCount: 2,
        deployments: [expect.objectContaining({ rolloutState: 'COMPLETED' })],
      });

      const fault = await fetch(`${endpoint}/_sim/faults`, {
        method: 'POST',
        body: JSON.stringify({ operation: 'DescribeServices', error: { code: 'AccessDeniedException', times: 1 } }),
      });
      expect(fault.status).toBe(204);
      await expect(ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).rejects.toMatchObject(
        {
          name: 'AccessDeniedException',
        },
      );
      ecs.destroy();

      const requests = (await (
        await fetch(`${endpoint}/_sim/requests?service=ecs&operation=DescribeServices`)
      ).json()) as {
        status: number;
        errorCode?: string;
      }[];
      expect(requests.map((r) => [r.status, r.errorCode ?? null])).toEqual([
        [200, null],
        [400, 'AccessDeniedException'],
      ]);
      const milestones = await (await fetch(`${endpoint}/_sim/milestones?kind=service-deployment`)).json();
      expect(milestones).toEqual([expect.objectContaining({ state: 'SUCCESSFUL' })]);
      const live = (await (await fetch(`${endpoint}/_sim/live/prod/web`)).json()) as {
        production: string;
        test: string;
      };
      expect(live).toEqual({ production: `${endpoint}/_live/prod/web/prod`, test: `${endpoint}/_live/prod/web/test` });
      expect(await (await fetch(`${live.production}/health`)).text()).toBe('ok');
      expect((await fetch(`${endpoint}/_sim/advance?ms=1000`, { method: 'POST' })).status).toBe(400);
    } finally {
      cli.child.kill('SIGINT');
    }
    expect(await cli.exited).toBe(0);
  });

  it('refuses bad options with exit code 2', async () => {
    const cli = startCli(['--time-scale', 'fast']);
    await expect(cli.exports).rejects.toThrow(/--time-scale must be a number > 0, got "fast"/);
    expect(await cli.exited).toBe(2);
  });
});
