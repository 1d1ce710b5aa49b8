import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKED_SERVICES, modelViolations, type Violation } from './conformance';
import type { RequestRecord } from './world';

// The suite-wide conformance report: with SHIPYARD_SIM_CONFORMANCE_DIR set (jest's global setup sets it), every sim
// adds what it answered, per service, to a file there when it closes (or its request log is cleared); the global
// teardown sums them up. So every answer any test got from aws-sim is checked against the models, not only those of
// the suites that check their own.

export const SUITE_REPORT_DIR_ENV = 'SHIPYARD_SIM_CONFORMANCE_DIR';

interface ServiceTally {
  answers: number;
  /** `operation: message` lines, one per violation. */
  violations: string[];
}

type SimTally = Record<string, ServiceTally>;

function tally(records: readonly RequestRecord[]): SimTally {
  const checked = records.filter(
    (r) => (CHECKED_SERVICES as readonly string[]).includes(r.service) && !r.injected && !r.registryApi,
  );
  const result: SimTally = {};
  for (const record of checked) (result[record.service] ??= { answers: 0, violations: [] }).answers++;
  for (const v of modelViolations(checked)) result[v.service].violations.push(violationLine(v));
  return result;
}

const violationLine = (v: Violation) => `${v.operation}: ${v.message.replace(/\[\d+\]/g, '[]')}`;

/** Adds a sim's answers to the suite report, when one is being kept. */
export function addToSuiteReport(records: readonly RequestRecord[]): void {
  const dir = process.env[SUITE_REPORT_DIR_ENV];
  if (!dir || !existsSync(dir) || records.length === 0) return;
  appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(tally(records))}\n`);
}

export interface SuiteReport {
  sims: number;
  byService: Record<string, { answers: number; violations: number }>;
  /** Each distinct violation line with how often it happened. */
  violations: Map<string, number>;
}

export function readSuiteReport(dir: string): SuiteReport {
  const report: SuiteReport = { sims: 0, byService: {}, violations: new Map() };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
      report.sims++;
      for (const [service, { answers, violations }] of Object.entries(JSON.parse(line) as SimTally)) {
        const total = (report.byService[service] ??= { answers: 0, violations: 0 });
        total.answers += answers;
        total.violations += violations.length;
        for (const v of violations) {
          const key = `${service}:${v}`;
          report.violations.set(key, (report.violations.get(key) ?? 0) + 1);
        }
      }
    }
  }
  return report;
}

export function violationCount(report: SuiteReport): number {
  return Object.values(report.byService).reduce((sum, s) => sum + s.violations, 0);
}

/** `aws-sim model conformance: N answers from M sims, K violations`, per service, then each distinct violation. */
export function formatSuiteReport(report: SuiteReport): string {
  const answers = Object.values(report.byService).reduce((sum, s) => sum + s.answers, 0);
  const count = violationCount(report);
  const services = Object.entries(report.byService)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([service, s]) => `  ${service}: ${s.answers} answers, ${s.violations} violations`);
  const lines = [...report.violations].map(([line, n]) => `    ${line}${n > 1 ? ` (×${n})` : ''}`);
  return [
    `aws-sim model conformance: ${answers} answers from ${report.sims} sims, ${count} violation${count === 1 ? '' : 's'}`,
    ...services,
    ...lines,
  ].join('\n');
}
