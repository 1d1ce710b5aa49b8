// npm run local-action -- <action folder> src/main.ts <.env file> [--post src/post.ts]
// @github/local-action with the one Node flag Shipyard's sources need there: the toolkit packages (@actions/core,
// @actions/github, …) are ESM only, and local-action loads our CommonJS sources, so their imports are resolved with
// the `import` condition (Node 20.19+ and 22.12+ load such modules with require()).
import { spawnSync } from 'node:child_process';

const nodeOptions = [process.env.NODE_OPTIONS, '--conditions=import'].filter(Boolean).join(' ');
const { status, error } = spawnSync('npx', ['--no-install', 'local-action', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
  shell: process.platform === 'win32',
});
if (error) throw error;
process.exit(status ?? 1);
