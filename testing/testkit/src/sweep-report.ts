/** Plain-text tables of sweep results: one line per run, then per scenario the figures and distinct violations. */
import type { SweepResult } from './sweep';

export function describeCase(result: SweepResult): string {
  if (!result.point) return 'clean run';
  const { position, service, operation, occurrence } = result.point;
  return `#${position} ${service}:${operation} (${occurrence}) ${result.kind}${result.reached ? '' : ' [not reached]'}`;
}

export function formatResult(result: SweepResult): string {
  const verdict = result.violations.length
    ? `✘ ${result.violations.join('; ')}\n    error: ${result.headline.join('\n    post error: ') || '(none)'}`
    : '✔';
  const seconds = (result.durationMs / 1000).toFixed(1);
  return `${result.scenario} | ${describeCase(result)} | exit ${result.exitCode} ${result.conclusion} | ${seconds}s | ${verdict}`;
}

export interface ScenarioFigures {
  scenario: string;
  faultPoints: number;
  runs: number;
  held: number;
  notReached: number;
  /** Each distinct violation with the cases that showed it. */
  violations: Map<string, string[]>;
}

export function figures(results: SweepResult[]): ScenarioFigures[] {
  const byScenario = new Map<string, ScenarioFigures>();
  for (const result of results) {
    let entry = byScenario.get(result.scenario);
    if (!entry) {
      entry = { scenario: result.scenario, faultPoints: 0, runs: 0, held: 0, notReached: 0, violations: new Map() };
      byScenario.set(result.scenario, entry);
    }
    entry.runs++;
    if (result.violations.length === 0) entry.held++;
    if (!result.reached) entry.notReached++;
    for (const violation of result.violations) {
      entry.violations.set(violation, [...(entry.violations.get(violation) ?? []), describeCase(result)]);
    }
  }
  for (const entry of byScenario.values()) {
    const points = new Set(
      results.filter((r) => r.scenario === entry.scenario && r.point).map((r) => r.point!.position),
    );
    entry.faultPoints = points.size;
  }
  return [...byScenario.values()];
}

export function formatFigures(all: ScenarioFigures[], wallMs: number): string {
  const lines = ['scenario | fault points | runs | held | not reached | distinct violations'];
  for (const f of all) {
    lines.push(`${f.scenario} | ${f.faultPoints} | ${f.runs} | ${f.held} | ${f.notReached} | ${f.violations.size}`);
  }
  const runs = all.reduce((n, f) => n + f.runs, 0);
  const held = all.reduce((n, f) => n + f.held, 0);
  lines.push(
    `total: ${runs} runs, ${held} held, ${runs - held} with violations, wall time ${(wallMs / 1000).toFixed(0)} s`,
  );
  for (const f of all.filter((entry) => entry.violations.size)) {
    lines.push('', `${f.scenario}:`);
    for (const [violation, cases] of f.violations) {
      const shown = cases.slice(0, 4).join(', ') + (cases.length > 4 ? `, … (${cases.length})` : '');
      lines.push(`  - ${violation}  [${shown}]`);
    }
  }
  return lines.join('\n');
}
