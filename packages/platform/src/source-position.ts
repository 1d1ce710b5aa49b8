import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { ValuePath } from './model-shapes';

// Where a value sits in the JSON or YAML text it was parsed from, so an annotation can point at its line. Uses the
// yaml package the input readers already bundle (JSON is YAML 1.2), re-parsing only when there is a problem to show.

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * The 1-based line and column of the value at `path` in `text` (of its key, with `at: 'key'`, which is where an
 * unknown key is). Falls back to the nearest enclosing value that exists; undefined when the text does not parse.
 */
export function positionOf(text: string, path: ValuePath, at: 'key' | 'value' = 'value'): SourcePosition | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, logLevel: 'silent' });
  if (document.errors.length) return undefined;
  let node = document.contents as Node | null;
  let offset = node?.range?.[0];
  for (const [index, part] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part),
      );
      if (!pair) break;
      const key = pair.key as Node;
      node = pair.value as Node | null;
      offset = (last && at === 'key' ? key.range?.[0] : (node?.range?.[0] ?? key.range?.[0])) ?? offset;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part] as Node;
      offset = node.range?.[0] ?? offset;
    } else break;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
