/** Durations as Shipyard reads and prints them: `1h30m`, `90s`, `500ms` (units h, m, s, ms, in that order). */

const MS_PER_UNIT = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;

// Each unit at most once, largest first; `m(?!s)` keeps the minutes group from eating the `m` of `ms`.
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Milliseconds for a duration such as `1h30m`, `90s` or `500ms`; a plain whole number means seconds (what most
 * people mean by `timeout: 600`). Returns undefined for anything else: negative, fractional, unknown unit, empty.
 */
export function durationToMs(text: string): number | undefined {
  if (/^\d+$/.test(text)) return safe(Number(text) * MS_PER_UNIT.s);
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return safe(
    Number(h) * MS_PER_UNIT.h + Number(m) * MS_PER_UNIT.m + Number(s) * MS_PER_UNIT.s + Number(ms) * MS_PER_UNIT.ms,
  );
}

/** The shortest form durationToMs reads back to the same value: 5_400_000 → `1h30m`, 1_500 → `1s500ms`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  let text = '';
  for (const [unit, size] of Object.entries(MS_PER_UNIT)) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) text += `${count}${unit}`;
  }
  return text || '0s';
}

function safe(ms: number): number | undefined {
  return Number.isSafeInteger(ms) ? ms : undefined;
}
