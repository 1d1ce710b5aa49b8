import { randomUUID } from 'node:crypto';

type Write = (text: string) => void;

const stdout: Write = (text) => void process.stdout.write(text);

/**
 * Prints lines that come from elsewhere (a container's CloudWatch log) between stop-commands markers, so a line
 * such as `::add-mask::` or `::set-env` written by the migration is shown, never executed by the runner.
 */
export function printUntrusted(lines: string[], write: Write = stdout): void {
  if (lines.length === 0) return;
  const token = randomUUID();
  write(`::stop-commands::${token}\n${lines.map((line) => `${line}\n`).join('')}::${token}::\n`);
}

/** Keeps the last `limit` lines seen: what a failure shows again and the job summary quotes. */
export class LastLines {
  private readonly kept: string[] = [];

  constructor(private readonly limit: number) {}

  push(lines: string[]): void {
    this.kept.push(...lines);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
  }

  get lines(): string[] {
    return [...this.kept];
  }
}

/** Cuts a byte stream into complete lines (without `\n` or `\r\n`); flush() hands over an unterminated last line. */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.replace(/\r$/, ''));
  }

  flush(): void {
    if (this.pending !== '') this.onLine(this.pending.replace(/\r$/, ''));
    this.pending = '';
  }
}
