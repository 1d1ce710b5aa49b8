import { byCodeUnit, isWildcard } from './paths';

/** CloudFront's monthly free invalidation paths per account, and the price of each path beyond them. */
export const FREE_PATHS_PER_MONTH = 1_000;
export const USD_PER_PATH = 0.005;
/** Wildcard paths CloudFront lets one distribution have in progress at once. */
export const WILDCARDS_IN_FLIGHT = 15;

export interface CollapseOptions {
  /** Most paths to submit; above it paths are collapsed into wildcards. */
  budget: number;
  /** Most wildcards the result may hold (so it fits one in-flight window). */
  wildcardLimit?: number;
}

export interface CollapsedPrefix {
  /** The wildcard submitted, e.g. `/assets/img/*`. */
  wildcard: string;
  /** How many requested paths it stands for. */
  replaces: number;
}

export interface CollapseResult {
  /** What to submit, sorted. */
  paths: string[];
  /** The wildcards introduced by collapsing (empty when the budget was not exceeded). */
  collapsed: CollapsedPrefix[];
}

/** A directory of the requested paths: `prefix` ends with `/`; `count` and `wildcards` are totals below it. */
interface Directory {
  prefix: string;
  children: Map<string, Directory>;
  items: string[];
  count: number;
  wildcards: number;
}

/** Splits on `/` only to find candidate wildcards; coverage itself is a plain prefix test, so any split is safe. */
function buildTree(paths: string[]): Directory {
  const directory = (prefix: string): Directory => ({ prefix, children: new Map(), items: [], count: 0, wildcards: 0 });
  const root = directory('/');
  for (const path of paths) {
    const wildcard = isWildcard(path) ? 1 : 0;
    let node = root;
    for (const segment of path.slice(1).split('/').slice(0, -1)) {
      node.count++;
      node.wildcards += wildcard;
      let child = node.children.get(segment);
      if (!child) {
        child = directory(`${node.prefix}${segment}/`);
        node.children.set(segment, child);
      }
      node = child;
    }
    node.count++;
    node.wildcards += wildcard;
    node.items.push(path);
  }
  return root;
}

function allPaths(node: Directory): string[] {
  return [...node.items, ...[...node.children.values()].flatMap(allPaths)];
}

/**
 * Narrowing `node/*`: its own paths and its single-path subdirectories become paths; of its other subdirectories
 * the `expanded` smallest are listed path by path (so a directory with many subdirectories can be narrowed without
 * needing a wildcard for each) and the rest become wildcards of their own.
 */
interface Split {
  node: Directory;
  expanded: number;
  addedPaths: number;
  addedWildcards: number;
}

function bySize(a: Directory, b: Directory): number {
  return a.count - b.count || byCodeUnit(a.prefix, b.prefix);
}

function subdirectories(node: Directory): { singles: Directory[]; multiples: Directory[] } {
  const children = [...node.children.values()];
  return {
    singles: children.filter((child) => child.count === 1),
    multiples: children.filter((child) => child.count > 1).sort(bySize),
  };
}

/** The split of `node` that adds the fewest paths while fitting the room left, if any does. */
function bestSplitOf(node: Directory, room: { paths: number; wildcards: number }): Split | undefined {
  const { singles, multiples } = subdirectories(node);
  const fixed = [...node.items, ...singles.flatMap(allPaths)];
  let paths = fixed.length + multiples.length - 1;
  let wildcards = fixed.filter(isWildcard).length + multiples.length - 1;
  let best: Split | undefined;
  for (let expanded = 0; ; expanded++) {
    if (paths <= room.paths && wildcards <= room.wildcards && (!best || paths < best.addedPaths)) {
      best = { node, expanded, addedPaths: paths, addedWildcards: wildcards };
    }
    if (expanded === multiples.length) return best;
    paths += multiples[expanded].count - 1;
    wildcards += multiples[expanded].wildcards - 1;
  }
}

/** Cheapest first (fewest added paths), then the broadest wildcard (most worth narrowing), then by name. */
function betterSplit(a: Split, b: Split | undefined): boolean {
  if (!b) return true;
  if (a.addedPaths !== b.addedPaths) return a.addedPaths < b.addedPaths;
  if (a.node.count !== b.node.count) return a.node.count > b.node.count;
  return a.node.prefix < b.node.prefix;
}

/**
 * Cost mode. Paths within the budget are returned as they are. Above it, the result starts from `/*` (one path,
 * always within budget) and narrows step by step: a wildcard is replaced by its subdirectories' wildcards and its
 * own paths, cheapest step first, for as long as the path budget and the wildcard limit allow. Listing a small
 * directory path by path frees a wildcard for a broader directory to be narrowed, so the wildcards end up where
 * they save the most. Every requested path stays covered: each step replaces a wildcard by wildcards and paths
 * that together cover everything it covered.
 */
export function collapsePaths(paths: string[], options: CollapseOptions): CollapseResult {
  if (paths.length <= options.budget) return { paths: [...paths], collapsed: [] };
  const limit = options.wildcardLimit ?? WILDCARDS_IN_FLIGHT;
  const open = new Set<Directory>([buildTree(paths)]);
  const leaves: string[] = [];
  let pathCount = 1;
  let wildcardCount = 1;
  for (;;) {
    let best: Split | undefined;
    const room = { paths: options.budget - pathCount, wildcards: limit - wildcardCount };
    for (const node of open) {
      const split = bestSplitOf(node, room);
      if (split && betterSplit(split, best)) best = split;
    }
    if (!best) break;
    const { singles, multiples } = subdirectories(best.node);
    open.delete(best.node);
    leaves.push(...best.node.items, ...singles.flatMap(allPaths));
    multiples.forEach((child, index) => (index < best.expanded ? leaves.push(...allPaths(child)) : open.add(child)));
    pathCount += best.addedPaths;
    wildcardCount += best.addedWildcards;
  }
  const collapsed = [...open]
    .map((node) => ({ wildcard: `${node.prefix}*`, replaces: node.count }))
    .sort((a, b) => byCodeUnit(a.wildcard, b.wildcard));
  return { paths: [...leaves, ...collapsed.map((c) => c.wildcard)].sort(byCodeUnit), collapsed };
}

/** Dollars for `paths` invalidation paths when the month's free tier is still unused (a lower bound). */
export function estimateCost(paths: number, freePaths: number = FREE_PATHS_PER_MONTH): number {
  // Rounded to a tenth of a cent (the price's own precision) so float noise never shows.
  return Math.round(Math.max(0, paths - freePaths) * USD_PER_PATH * 1000) / 1000;
}

export function formatUsd(dollars: number): string {
  return dollars.toFixed(3);
}
