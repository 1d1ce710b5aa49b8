// Terminal rendering: job summaries (GitHub-flavoured markdown) as compact text, and plain tables.

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const green = paint('32');
export const red = paint('31');
export const yellow = paint('33');

/** Inline markdown as plain text: code spans, bold, links and HTML tags dropped, entities decoded. */
function inline(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\\|/g, '|')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

function splitRow(line: string): string[] {
  const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return cells.split(/(?<!\\)\|/).map(inline);
}

/** Rows as aligned columns; cells longer than `maxCell` are cut with an ellipsis. */
export function formatTable(rows: string[][], indent = '', maxCell = 70): string[] {
  const cut = rows.map((row) => row.map((cell) => (cell.length > maxCell ? `${cell.slice(0, maxCell - 1)}…` : cell)));
  const widths = cut[0].map((_, i) => Math.max(...cut.map((row) => (row[i] ?? '').length)));
  return cut.map((row, index) => {
    const line = row
      .map((cell, i) => (cell ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
    return indent + (index === 0 && rows.length > 1 ? bold(line) : line);
  });
}

/** A job summary as terminal lines: headings bold, tables aligned, `<details>` opened, code fences dropped. */
export function renderMarkdown(markdown: string, indent = '    '): string[] {
  const out: string[] = [];
  let table: string[][] = [];
  const flush = () => {
    // A table with an empty header row (a key/value list) prints without it.
    if (table.length && table[0].every((cell) => cell === '')) table.shift();
    if (table.length) out.push(...formatTable(table, indent));
    table = [];
  };
  for (const raw of markdown.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim().startsWith('|')) {
      if (/^\s*\|?\s*:?-{3,}/.test(line)) continue;
      table.push(splitRow(line));
      continue;
    }
    flush();
    if (line.trim() === '' || line.trim().startsWith('```')) continue;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const text = inline(heading ? heading[1] : line.replace(/^\s*[-*]\s+/, '• '));
    if (text) out.push(indent + (heading ? bold(text) : text));
  }
  flush();
  return out;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
