/** build-push under the sweep: promotion by digest of a staged multi-platform image to a production tag. */
import { dirname } from 'node:path';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { pushImage } from '@shipyard/aws-sim/ecr-seed';
import { SHA, startE2e } from '@shipyard/testkit/fixtures/build-push/e2e';
import { rmSync } from 'node:fs';
import type { SweepScenario } from '../../src/sweep';

const REPOSITORY = 'rideshare-web';
const PRODUCTION_TAG = `production-${SHA}`;

export const promoteByDigest: SweepScenario = {
  name: 'build-push, promotion by digest',
  kinds: ['denial', 'proxy-5xx', 'dropped-connection', 'timeout', 'throttling'],
  async start() {
    const e2e = await startE2e();
    const digest = pushImage(e2e.sim, {
      repository: REPOSITORY,
      tag: `staging-${SHA}`,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    const inputs = {
      repository: REPOSITORY,
      'promote-from': `staging-${SHA}`,
      'tag-environment': 'production',
      'tag-sha': 'false',
    };
    return {
      sim: e2e.sim,
      run: ({ timeoutMs }) => e2e.run(inputs, {}, timeoutMs),
      async observe() {
        const { imageDetails = [] } = await e2e.ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY }));
        const tagged = imageDetails.find((image) => image.imageTags?.includes(PRODUCTION_TAG));
        const state = !tagged ? 'known-good' : tagged.imageDigest === digest ? 'intended' : 'tag on another digest';
        return { targets: [{ name: PRODUCTION_TAG, state, reversible: false }], violations: [] };
      },
      // Nothing to put back: a tag that was never written, or written as asked.
      isRestore: () => false,
      async close() {
        await e2e.close();
        rmSync(dirname(e2e.workspace), { recursive: true, force: true });
      },
    };
  },
};
