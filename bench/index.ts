/**
 * npm run bench: runs every bench/*.ts (each prints its own figures) one after the other, so they do not compete
 * for the CPU. Exits non-zero if one of them crashes; budgets are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = __dirname;
const benches = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n▶ bench/${file}`);
  // --conditions=import: the toolkit packages (@actions/core, …) are ESM only; tsx loads our sources as CommonJS.
  const args = ['--conditions=import', '--import', 'tsx', join(dir, file)];
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
