/**
 * invalidate-cdn's figures from its issue (printed, not asserted): for a 10,000-file site with 40 changed
 * directories, paths requested vs submitted in cost mode, the estimated cost of each, and how much of the site the
 * submitted wildcards invalidate; plus the bundle's size (its cold start is in bench/startup.ts).
 * Run: node --conditions=import --import tsx bench/invalidate-cdn.ts
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { estimateCost, formatUsd, USD_PER_PATH } from '../actions/invalidate-cdn/src/collapse';
import { covers, isWildcard, normalisePaths } from '../actions/invalidate-cdn/src/paths';
import { planInvalidation } from '../actions/invalidate-cdn/src/plan';

const SECTIONS = 10;
const DIRS_PER_SECTION = 20;
const FILES_PER_DIR = 50;
const CHANGED_DIRS = 40;
const MAIN = join(__dirname, '..', 'actions', 'invalidate-cdn', 'dist', 'index.js');

const dirName = (section: number, dir: number) => `/s${section}/d${String(dir).padStart(2, '0')}/`;
const site = Array.from({ length: SECTIONS }, (_, s) =>
  Array.from({ length: DIRS_PER_SECTION }, (__, d) =>
    Array.from({ length: FILES_PER_DIR }, (___, f) => `${dirName(s, d)}page-${f}.html`),
  ).flat(),
).flat();

/** Deterministic choices (a linear congruential generator), so every run prints the same figures. */
function pick(count: number, from: number, seed: number): number[] {
  const chosen = new Set<number>();
  let state = seed;
  while (chosen.size < count) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    chosen.add(state % from);
  }
  return [...chosen];
}

interface Layout {
  name: string;
  changedDirs: string[];
}

const layouts: Layout[] = [
  {
    name: 'spread over all sections',
    changedDirs: pick(CHANGED_DIRS, SECTIONS * DIRS_PER_SECTION, 7).map((i) =>
      dirName(Math.floor(i / DIRS_PER_SECTION), i % DIRS_PER_SECTION),
    ),
  },
  {
    name: 'clustered in 2 sections',
    changedDirs: Array.from({ length: CHANGED_DIRS }, (_, i) => dirName(i % 2, Math.floor(i / 2))),
  },
];

function report(layout: Layout, budget: number): string[] {
  const changed = site.filter((file) => layout.changedDirs.some((dir) => file.startsWith(dir)));
  const started = performance.now();
  const requested = normalisePaths([{ kind: 'file', paths: changed }]);
  const plan = planInvalidation(requested, { costMode: true, pathBudget: budget, distributionCount: 1 });
  const planMs = performance.now() - started;
  const wildcards = plan.submitted.filter(isWildcard);
  const invalidated = site.filter((file) => plan.submitted.some((p) => p === file || covers(p, file))).length;
  const cost = (paths: number) =>
    `$${formatUsd(estimateCost(paths))} (free tier used up: $${formatUsd(paths * USD_PER_PATH)})`;
  return [
    `  ${layout.name}, budget ${budget}:`,
    `    requested ${requested.length} paths → ${cost(requested.length)}`,
    `    submitted ${plan.submitted.length} paths (${wildcards.length} wildcards) → ${cost(plan.submitted.length)}; ` +
      `objects invalidated ${invalidated} of ${site.length} (${changed.length} changed); ` +
      `planned in ${planMs.toFixed(1)} ms`,
  ];
}

async function main(): Promise<void> {
  console.log(`invalidate-cdn: ${site.length} files, ${CHANGED_DIRS} changed directories of ${FILES_PER_DIR} files`);
  for (const layout of layouts) {
    for (const budget of [1_000, 500]) console.log(report(layout, budget).join('\n'));
  }
  console.log(`  bundle ${(statSync(MAIN).size / 1024).toFixed(0)} KiB (+ the SDK chunk, loaded after validation)`);
}

void main();
