import { appendFile, stat } from 'node:fs/promises';
import * as core from './core';
import { describeError } from './errors';
import { redactCredentials } from './redact';

/** GitHub refuses a step summary over 1 MiB and shows an error instead of it. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

type Cell = string | number;

/** Builds a job summary as GitHub-flavoured markdown, one block at a time; every method returns the builder. */
export class SummaryBuilder {
  private readonly blocks: string[] = [];

  heading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6 = 2): this {
    return this.add(`${'#'.repeat(level)} ${oneLine(text)}`);
  }

  /** A table; cells are markdown, with `|` escaped and line breaks turned into `<br>` so they stay in their cell. */
  table(header: Cell[], rows: Cell[][]): this {
    const line = (cells: Cell[]) => `| ${cells.map(tableCell).join(' | ')} |`;
    return this.add([line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
  }

  /** A collapsed section: `summary` is plain text, `body` markdown (or another builder's blocks). */
  details(summary: string, body: string | SummaryBuilder): this {
    const markdown = typeof body === 'string' ? body.trim() : body.toMarkdown().trim();
    // The blank lines let GitHub render the body as markdown instead of raw HTML content.
    return this.add(`<details><summary>${escapeHtml(oneLine(summary))}</summary>\n\n${markdown}\n\n</details>`);
  }

  list(items: string[], options: { ordered?: boolean } = {}): this {
    if (items.length === 0) return this;
    const lines = items.map((item, index) => {
      const marker = options.ordered ? `${index + 1}. ` : '- ';
      // Continuation lines indented to the item's text stay part of the item.
      return marker + item.trim().replace(/\r?\n/g, `\n${' '.repeat(marker.length)}`);
    });
    return this.add(lines.join('\n'));
  }

  /** A fenced code block; the fence is longer than any run of backticks inside, so the text cannot close it. */
  code(text: string, language = ''): this {
    const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return this.add(`${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`);
  }

  raw(markdown: string): this {
    return this.add(markdown.trim());
  }

  isEmpty(): boolean {
    return this.blocks.length === 0;
  }

  /** Blocks separated by blank lines, ending with a newline, ready to append to GITHUB_STEP_SUMMARY. */
  toMarkdown(): string {
    return this.blocks.length ? `${this.blocks.join('\n\n')}\n` : '';
  }

  private add(block: string): this {
    if (block) this.blocks.push(block);
    return this;
  }
}

/**
 * Appends the summary (credential shapes redacted) to the file named by GITHUB_STEP_SUMMARY. Never throws: a summary that cannot be written is a
 * warning, never the reason a deploy fails. Without GITHUB_STEP_SUMMARY (a local run) it only logs a debug line.
 */
export async function writeSummary(builder: SummaryBuilder): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) {
    core.debug('No job summary written: GITHUB_STEP_SUMMARY is not set.');
    return;
  }
  if (builder.isEmpty()) return;
  const markdown = redactCredentials(builder.toMarkdown());
  try {
    const existing = (await stat(path).catch(() => undefined))?.size ?? 0;
    const total = existing + Buffer.byteLength(markdown);
    if (total > STEP_SUMMARY_LIMIT_BYTES) {
      core.warning(`Job summary not written: it would be ${Math.ceil(total / 1024)} KiB, over GitHub's 1 MiB limit.`);
      return;
    }
    await appendFile(path, `${existing > 0 ? '\n' : ''}${markdown}`);
  } catch (error) {
    core.warning(`Job summary not written: ${describeError(error)}`);
  }
}

function tableCell(cell: Cell): string {
  return String(cell).trim().replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\r?\n\s*/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
