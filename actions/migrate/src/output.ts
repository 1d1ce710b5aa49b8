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
