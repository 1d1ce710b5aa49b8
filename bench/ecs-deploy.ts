/**
 * ecs-deploy's bundle size (not asserted; budget ≤ 2.5 MB). One bundle holds both steps: steps.js and the chunks
 * each step loads, the AWS SDK's shared by both (scripts/bundle-lib.mjs). Start-up, peak memory and idle post
 * steps are measured in bench/startup.ts; how it waits (outcome latency, calls a minute) in bench/ecs-watch.ts.
 * Run: node --conditions=import --import tsx bench/ecs-deploy.ts (re-bundle first: npm run bundle ecs-deploy).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_DIR } from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

function bundleSize(dir: string): number {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js'))
    .map((file) => statSync(join(dir, file)).size)
    .reduce((sum, size) => sum + size, 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
console.log('ecs-deploy bundle');
console.log(
  `  main and post steps, all chunks  ${mb(bundleSize(join(ACTION_DIR, 'dist'))).padStart(9)}   target ≤ 2.5 MB`,
);
