import fc from 'fast-check';
import { durationToMs, formatDuration } from '../src/duration';

describe('durationToMs', () => {
  test.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1m500ms', 60_500],
    ['120', 120_000],
    ['0', 0],
  ])('%j → %d', (text, ms) => expect(durationToMs(text)).toBe(ms));

  test.each(['', ' 5m', '5m ', '10x', '-5m', '1.5s', '5s1m', '1h1h', 'ms', '1e3', '99999999999999999h'])(
    '%j → undefined',
    (text) => expect(durationToMs(text)).toBeUndefined(),
  );
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [500, '500ms'],
    [1_500, '1s500ms'],
    [90_000, '1m30s'],
    [600_000, '10m'],
    [5_400_000, '1h30m'],
    [90_061_001, '25h1m1s1ms'],
    [1_234.6, '1s235ms'],
    [-5, '0s'],
  ])('%d → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  test('what it prints reads back to the same number of milliseconds', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (ms) => durationToMs(formatDuration(ms)) === ms));
  });
});
