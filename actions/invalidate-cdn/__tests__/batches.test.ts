import { CLOUDFRONT_LIMITS, planBatches } from '../src/batches';
import { isWildcard } from '../src/paths';

const files = (count: number) => Array.from({ length: count }, (_, i) => `/f${String(i).padStart(5, '0')}`);
const wildcards = (count: number) => Array.from({ length: count }, (_, i) => `/w${String(i).padStart(3, '0')}/*`);

describe('planBatches', () => {
  test.each<[string, number, number, [number, number][]]>([
    ['nothing', 0, 0, []],
    ['one file', 1, 0, [[1, 0]]],
    ['exactly one window of files', 3_000, 0, [[3_000, 0]]],
    [
      '7,000 files',
      7_000,
      0,
      [
        [3_000, 0],
        [3_000, 0],
        [1_000, 0],
      ],
    ],
    [
      '16 wildcards',
      0,
      16,
      [
        [0, 15],
        [0, 1],
      ],
    ],
    [
      'files and wildcards share windows (independent limits)',
      3_500,
      20,
      [
        [3_000, 15],
        [500, 5],
      ],
    ],
    [
      'more wildcard windows than file windows',
      10,
      31,
      [
        [10, 15],
        [0, 15],
        [0, 1],
      ],
    ],
  ])('%s', (_, fileCount, wildcardCount, expected) => {
    const batches = planBatches([...files(fileCount), ...wildcards(wildcardCount)]);
    expect(
      batches.map((batch) => [batch.filter((p) => !isWildcard(p)).length, batch.filter(isWildcard).length]),
    ).toEqual(expected);
  });

  test('keeps every path exactly once, each batch sorted', () => {
    const paths = [...wildcards(20), ...files(3_100)];
    const batches = planBatches(paths);
    expect(batches.flat().sort()).toEqual([...paths].sort());
    for (const batch of batches) expect(batch).toEqual([...batch].sort());
  });

  test('honours other limits', () => {
    expect(planBatches(['/a', '/b', '/c', '/x*'], { files: 2, wildcards: 1 })).toEqual([['/a', '/b', '/x*'], ['/c']]);
    expect(CLOUDFRONT_LIMITS).toEqual({ files: 3_000, wildcards: 15 });
  });
});
