import * as exec from '@actions/exec';

export interface DockerOptions {
  /** Written to stdin (how passwords reach `docker login`). */
  input?: string;
  /** Added to the inherited environment (how build secrets reach buildx). */
  env?: Record<string, string>;
  /** Keep the output out of the log (it is still captured). */
  silent?: boolean;
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

/** Runs the `docker` on PATH; never throws on a non-zero exit (callers explain failures their own way). */
export async function runDocker(args: string[], options: DockerOptions = {}): Promise<DockerResult> {
  const tail = new LineTail();
  let stdout = '';
  let stderr = '';
  const exitCode = await exec.exec('docker', args, {
    ignoreReturnCode: true,
    silent: options.silent,
    input: options.input === undefined ? undefined : Buffer.from(options.input),
    env: options.env ? { ...stringEnv(process.env), ...options.env } : undefined,
    listeners: {
      stdout: (data) => (stdout += data.toString()),
      stderr: (data) => (stderr += data.toString()),
      stdline: (line) => tail.push(line),
      errline: (line) => tail.push(line),
    },
  });
  return { exitCode, stdout, stderr, tail: tail.get() };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
