/** invalidate-cdn under the sweep: three distributions, one batch each (side by side), waited for until Completed. */
import { CloudFrontClient, GetInvalidationCommand, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import type { Sim } from '@shipyard/aws-sim/server';
import type { RequestRecord } from '@shipyard/aws-sim/world';
import { DOCS, invalidateCdn, SITE, startCdnSim } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';
import type { SweepScenario, Target } from '../../src/sweep';

const ASSETS = 'E3ASSETS000001';
const DISTRIBUTIONS = [SITE, DOCS, ASSETS];
const PATHS = ['/index.html', '/app.js', '/img/*'];

const distributionOf = (call: RequestRecord) => (call.params as { DistributionId?: string }).DistributionId;

/** Per distribution: the paths of every invalidation it holds, sorted, as a user would list them. */
async function invalidatedPaths(sim: Sim): Promise<Map<string, string[][]>> {
  const client = new CloudFrontClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const result = new Map<string, string[][]>();
    for (const id of DISTRIBUTIONS) {
      const { InvalidationList } = await client.send(new ListInvalidationsCommand({ DistributionId: id }));
      const batches: string[][] = [];
      for (const { Id } of InvalidationList?.Items ?? []) {
        const { Invalidation } = await client.send(new GetInvalidationCommand({ DistributionId: id, Id }));
        batches.push([...(Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort());
      }
      result.set(id, batches);
    }
    return result;
  } finally {
    client.destroy();
  }
}

export const invalidateSeveralBatches: SweepScenario = {
  name: 'invalidate-cdn, 3 distributions',
  kinds: ['denial', 'proxy-5xx', 'dropped-connection', 'timeout', 'throttling'],
  async start() {
    const sim = await startCdnSim([{ id: ASSETS, aliases: ['assets.example.com'] }]);
    const asked = [...PATHS].sort().join(' ');
    return {
      sim,
      run: ({ timeoutMs }) =>
        invalidateCdn(sim, { distributions: DISTRIBUTIONS.join('\n'), paths: PATHS.join('\n') }, { timeoutMs }),
      async observe() {
        const held = await invalidatedPaths(sim);
        const targets: Target[] = [];
        const violations: string[] = [];
        for (const [id, batches] of held) {
          const matching = batches.filter((paths) => paths.join(' ') === asked).length;
          if (matching > 1) violations.push(`${id}: the same paths invalidated ${matching} times`);
          targets.push({ name: id, state: matching ? 'intended' : 'known-good', reversible: false });
        }
        return { targets, violations };
      },
      // An invalidation cannot be undone, so nothing is a restore; but distributions are independent and submitted
      // side by side by design, so only a further batch for the distribution that failed counts as carrying on.
      isRestore: (call, failure) => distributionOf(call) !== distributionOf(failure),
      close: () => sim.close(),
    };
  },
};
