import fc from 'fast-check';
import { collapsePaths, estimateCost, formatUsd, WILDCARDS_IN_FLIGHT } from '../src/collapse';
import { covers, dropCovered, isWildcard } from '../src/paths';

const files = (directory: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${directory}f${String(index).padStart(2, '0')}.js`);

describe('collapsePaths', () => {
  test('returns paths within the budget unchanged', () => {
    const paths = files('/a/', 5);
    expect(collapsePaths(paths, { budget: 5 })).toEqual({ paths, collapsed: [] });
  });

  test.each<[string, string[], number, string[]]>([
    ['files at the root only: one wildcard for the site', files('/', 5), 4, ['/*']],
    ['a single deep directory: the narrowest wildcard', files('/x/y/z/', 3), 2, ['/x/y/z/*']],
    [
      'two directories, room for one listed file by file',
      [...files('/a/', 5), ...files('/b/', 5)],
      6,
      [...files('/a/', 5), '/b/*'],
    ],
    [
      'the larger directory becomes the wildcard',
      [...files('/big/', 8), ...files('/small/', 3)],
      5,
      ['/big/*', ...files('/small/', 3)],
    ],
    [
      "a file next to directories stays listed, the directories' wildcards stay apart",
      ['/index.html', ...files('/a/', 3), ...files('/b/', 3)],
      4,
      ['/a/*', '/b/*', '/index.html'],
    ],
    [
      'explicit wildcards count as paths and are absorbed by a collapsed directory',
      ['/img/*', '/img-old/*', ...files('/js/', 4)],
      3,
      ['/img-old/*', '/img/*', '/js/*'],
    ],
  ])('%s', (_, paths, budget, expected) => {
    const result = collapsePaths(dropCovered(paths), { budget });
    expect(result.paths).toEqual(expected);
  });

  test('lists small directories file by file when there are more directories than wildcards allowed', () => {
    // 20 directories of 2 files: 40 paths for a budget of 30 and 15 wildcards.
    const paths = Array.from({ length: 20 }, (_, index) => files(`/d${String(index).padStart(2, '0')}/`, 2)).flat();
    const result = collapsePaths(paths, { budget: 30 });
    const wildcards = result.paths.filter(isWildcard);
    expect(result.paths).toHaveLength(30);
    expect(wildcards).toHaveLength(10);
    expect(result.collapsed.every((c) => c.replaces === 2)).toBe(true);
    expect(paths.every((path) => result.paths.some((p) => p === path || covers(p, path)))).toBe(true);
  });

  test('with more directories than wildcards, lists some, and covers two sections whole', () => {
    // 10 sections × 4 changed directories × 50 files = 2,000 paths for a budget of 1,000.
    const paths = Array.from({ length: 10 }, (_, section) =>
      Array.from({ length: 4 }, (_, dir) => files(`/s${section}/d${dir}/`, 50)).flat(),
    ).flat();
    const result = collapsePaths(dropCovered(paths), { budget: 1_000 });
    // 19 directories listed (950 paths), 13 directory wildcards and 2 section wildcards (the 21 other directories
    // cannot each have a wildcard of their own within 15).
    expect(result.paths).toHaveLength(950 + 15);
    expect(result.paths.filter(isWildcard)).toHaveLength(WILDCARDS_IN_FLIGHT);
    expect(result.collapsed.filter((c) => c.replaces === 200).map((c) => c.wildcard)).toEqual(['/s8/*', '/s9/*']);
    expect(result.collapsed.filter((c) => c.replaces === 50)).toHaveLength(13);
  });

  test('falls back to the common directory when no narrower split fits', () => {
    // 40 directories of 50: listing 25 of them (needed to get down to 15 wildcards) exceeds the budget.
    const paths = Array.from({ length: 40 }, (_, dir) => files(`/s/d${String(dir).padStart(2, '0')}/`, 50)).flat();
    expect(collapsePaths(paths, { budget: 1_000 }).paths).toEqual(['/s/*']);
  });

  test('reports what each wildcard replaces', () => {
    const result = collapsePaths([...files('/a/', 3), ...files('/b/c/', 4)], { budget: 2 });
    expect(result.collapsed).toEqual([
      { wildcard: '/a/*', replaces: 3 },
      { wildcard: '/b/c/*', replaces: 4 },
    ]);
  });
});

describe('collapsePaths property', () => {
  // Wide trees (20 names per level) so the wildcard limit binds, odd names, and a few explicit wildcards.
  const name = fc.oneof(
    fc.integer({ min: 0, max: 19 }).map((n) => `d${n}`),
    fc.constantFrom('img', 'x y', 'é', 'a!', 'index.html', ''),
  );
  const filePath = fc.array(name, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
  const wildcard = fc.array(name, { minLength: 2, maxLength: 3 }).map((parts) => `/${parts.join('/')}*`);
  const request = fc.array(fc.oneof({ weight: 39, arbitrary: filePath }, { weight: 1, arbitrary: wildcard }), {
    minLength: 1,
    maxLength: 150,
    size: 'max',
  });

  test('every requested path stays covered, and above the budget the budget and the wildcard limit hold', () => {
    fc.assert(
      fc.property(request, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 15 }), (raw, budget, limit) => {
        const paths = dropCovered(raw);
        const result = collapsePaths(paths, { budget, wildcardLimit: limit });
        const uncovered = paths.filter((path) => !result.paths.some((p) => p === path || covers(p, path)));
        const wildcards = result.paths.filter(isWildcard).length;
        const collapsed = paths.length > budget;
        return (
          uncovered.length === 0 &&
          new Set(result.paths).size === result.paths.length &&
          (collapsed
            ? result.paths.length <= budget && wildcards <= limit
            : JSON.stringify(result.paths) === JSON.stringify(paths))
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('estimateCost', () => {
  test.each<[number, number, string]>([
    [0, 0, '0.000'],
    [1_000, 0, '0.000'],
    [1_001, 0.005, '0.005'],
    [7_000, 30, '30.000'],
    [1_003, 0.015, '0.015'],
  ])('%i paths → $%s', (paths, dollars, text) => {
    expect(estimateCost(paths)).toBe(dollars);
    expect(formatUsd(estimateCost(paths))).toBe(text);
  });

  test('counts only what exceeds the free paths left', () => {
    expect(estimateCost(300, 100)).toBe(1);
  });
});
