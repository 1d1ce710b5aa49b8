/**
 * Runs an action's TypeScript sources with @github/local-action (`npm run local-action`), as a developer does:
 * inputs and environment in a .env file, main and then post in one process, @actions/core and @actions/github
 * replaced by local-action's stand-ins. Returns the log and the outputs local-action lists at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './repo';
import { inheritedEnvironment } from './runner-env';

export interface LocalActionOptions {
  /** Folder holding action.yml. */
  actionDir: string;
  /** The .env file's variables: INPUT_* and the environment (aws-sim's AWS_* and GITHUB_API_URL). */
  env: Record<string, string>;
  /** Also run src/post.ts's run() after main. */
  post?: boolean;
}

export interface LocalActionRun {
  exitCode: number | null;
  log: string;
  /** What local-action's "Action Outputs" table shows (empty when it says "No outputs were set!"). */
  outputs: Record<string, string>;
}

export async function runLocalAction(options: LocalActionOptions): Promise<LocalActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'shipyard-local-action-'));
  try {
    const envFile = join(dir, '.env');
    writeFileSync(
      envFile,
      Object.entries(options.env)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
        .join(''),
    );
    const args = [join(REPO_ROOT, 'scripts', 'local-action.mjs'), resolve(options.actionDir), 'src/main.ts', envFile];
    // local-action reads --post before it knows the action folder: the path is taken from the working directory.
    if (options.post) args.push('--post', join(resolve(options.actionDir), 'src', 'post.ts'));
    // Not on a runner: no GITHUB_* / RUNNER_* context beyond what the .env file gives.
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: inheritedEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolveExit, reject) => {
      child.on('error', reject);
      child.on('close', resolveExit);
    });
    return { exitCode, log, outputs: outputsTable(log) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows such as `│ 0 │ 'status' │ 'planned' │` after the "Action Outputs" heading (console.table's format). */
function outputsTable(log: string): Record<string, string> {
  const table = log.slice(log.lastIndexOf('Action Outputs'));
  const row = /^│\s*\d+\s*│\s*(['"`])(.*?)\1\s*│\s*(['"`])(.*)\3\s*│$/gm;
  return Object.fromEntries([...table.matchAll(row)].map((m) => [m[2], m[4]]));
}
