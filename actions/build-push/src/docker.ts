import * as exec from '@actions/exec';
import * as io from '@actions/io';
import * as core from '@shipyard/platform/core';
import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { Input } from './constants';

export interface DockerOptions {
  /** Written to stdin (how passwords reach `docker login`). */
  input?: string;
  /** Added to the inherited environment (how build secrets reach buildx). */
  env?: Record<string, string>;
  /** Keep the command line and the output out of the log (the output is still captured). */
  silent?: boolean;
  /** The arguments as printed, when some must not be (build-arg values as fingerprints). */
  shownArgs?: string[];
}

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The last lines of stdout and stderr interleaved as printed: what explains a failure. */
  tail: string[];
}

export const TAIL_LINES = 30;

/** Keeps the last `size` lines seen. */
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = TAIL_LINES) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  get(): string[] {
    return [...this.lines];
  }
}

/**
 * Runs the `docker` on PATH; never throws on a non-zero exit (callers explain failures their own way). The command
 * line and the output are printed through core, which redacts credentials; exec's own echo would print them raw.
 */
export async function runDocker(args: string[], options: DockerOptions = {}): Promise<DockerResult> {
  const tail = new LineTail();
  let stdout = '';
  let stderr = '';
  const print = (line: string) => {
    tail.push(line);
    if (!options.silent) core.info(line);
  };
  if (!options.silent) core.info(`[command]docker ${(options.shownArgs ?? args).join(' ')}`);
  const exitCode = await exec.exec('docker', args, {
    ignoreReturnCode: true,
    silent: true,
    input: options.input === undefined ? undefined : Buffer.from(options.input),
    env: options.env ? { ...stringEnv(process.env), ...options.env } : undefined,
    listeners: {
      stdout: (data) => (stdout += data.toString()),
      stderr: (data) => (stderr += data.toString()),
      stdline: print,
      errline: print,
    },
  });
  return { exitCode, stdout, stderr, tail: tail.get() };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Building runs `docker login` and `docker buildx`: both are looked for before any AWS call or login, so a runner
 * without them stops on what is missing rather than on @actions/io's "Unable to locate executable file: docker"
 * halfway through. Promotion never comes here: it only calls the ECR API.
 */
export async function requireBuildx(
  context: string,
  docker = runDocker,
  which: (tool: string) => Promise<string> = (tool) => io.which(tool, false),
): Promise<void> {
  const building = `Building ${quote(context)} (input "${Input.Context}")`;
  if (!(await which('docker'))) {
    throw new ConfigError(
      `${building} needs Docker, but no "docker" executable is on PATH. Run this step on a runner with Docker ` +
        `(GitHub's Ubuntu runners have it); to re-tag an image already in ECR, set "${Input.PromoteFrom}" instead, ` +
        'which needs no Docker.',
    );
  }
  const version = await docker(['buildx', 'version'], { silent: true });
  if (version.exitCode !== 0) {
    // docker's first line names the problem ("unknown command: docker buildx"); the rest is usage advice.
    const said = version.tail.find((line) => line.trim())?.trim();
    throw new ConfigError(
      `${building} needs docker buildx, but "docker buildx version" failed (exit code ${version.exitCode}` +
        `${said ? `: ${said}` : ''}). Add docker/setup-buildx-action before this step.`,
    );
  }
}
