import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatSuiteReport,
  readSuiteReport,
  SUITE_REPORT_DIR_ENV,
  violationCount,
} from '@shipyard/aws-sim/conformance-suite';

// jest's global setup and teardown (jest.config.js): every aws-sim started by any test adds its answers to one report
// (see aws-sim's conformance-suite.ts), printed at the end of the run; answers AWS would not give fail the run.

export function setup(): void {
  // Set before the workers start, so every test process (and every sim in it) inherits it.
  process.env[SUITE_REPORT_DIR_ENV] = mkdtempSync(join(tmpdir(), 'aws-sim-conformance-'));
}

export function teardown(): void {
  const dir = process.env[SUITE_REPORT_DIR_ENV];
  if (!dir) return;
  const report = readSuiteReport(dir);
  rmSync(dir, { recursive: true, force: true });
  delete process.env[SUITE_REPORT_DIR_ENV];
  if (report.sims === 0) return;
  console.log(`\n${formatSuiteReport(report)}`);
  if (violationCount(report) > 0) throw new Error('aws-sim answered what AWS does not (see the report above)');
}
