/**
 * npm run sweep [-- --only <text>] [--kinds denial,cancel] [--stride 2] [--every-call] [--concurrency 2]
 * Runs the whole fault-point sweep and prints one line per run, then the figures and the distinct violations.
 */
import { parseArgs } from 'node:util';
import { FAULT_KINDS, sweep, type FaultKind, type SweepResult } from '../src/sweep';
import { figures, formatFigures, formatResult } from '../src/sweep-report';
import { ALL_SCENARIOS } from './scenarios/index';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    kinds: { type: 'string' },
    stride: { type: 'string', default: '1' },
    'every-call': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '2' },
  },
});

const kinds = values.kinds?.split(',') as FaultKind[] | undefined;
const unknown = kinds?.filter((kind) => !FAULT_KINDS.includes(kind));
if (unknown?.length) throw new Error(`unknown fault kinds: ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);

async function main(): Promise<void> {
  const started = Date.now();
  const results: SweepResult[] = [];
  for (const scenario of ALL_SCENARIOS.filter((s) => !values.only || s.name.includes(values.only))) {
    results.push(
      ...(await sweep(scenario, {
        kinds,
        stride: Number(values.stride),
        everyCall: values['every-call'],
        concurrency: Number(values.concurrency),
        onResult: (result) => console.log(formatResult(result)),
      })),
    );
  }
  console.log(`\n${formatFigures(figures(results), Date.now() - started)}`);
  process.exitCode = results.every((result) => result.violations.length === 0) ? 0 : 1;
}

void main();
