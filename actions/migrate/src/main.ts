import { runAction, withOutcome } from '@shipyard/platform/errors';
import { cancellationSignal } from '@shipyard/platform/poll';
import { describeCommand } from '@shipyard/platform/redact';
import { writeSummary } from '@shipyard/platform/summary';
import { ACTION } from './constants';
import { readInputs, runContext, type ActionInputs } from './inputs';
import { buildSummary, newReport, setOutputs, type ModeContext, type Report } from './summary';

export async function run(): Promise<void> {
  await runAction(ACTION, migrate);
}

/** Validates every input, then runs the mode's phases; outputs and the job summary are written either way. */
export async function migrate(): Promise<void> {
  const run = runContext();
  const inputs = readInputs(run);
  const report = newReport(inputs.mode, commandText(inputs));
  const context = { report, signal: cancellationSignal(), run };
  await withOutcome(report, () => runMode(inputs, context), publish);
}

async function runMode(inputs: ActionInputs, context: ModeContext): Promise<void> {
  // The modes load the AWS SDK, so they are imported only once the inputs are known to be valid.
  if (inputs.mode === 'ecs') {
    const { migrateOnEcs } = await import('./ecs-mode');
    await migrateOnEcs(inputs, context);
  } else if (inputs.sql) {
    const { migrateSqlFiles } = await import('./sql-mode');
    await migrateSqlFiles(inputs, context);
  } else {
    const { migrateOnRunner } = await import('./runner-mode');
    await migrateOnRunner(inputs, context);
  }
}

async function publish(report: Report): Promise<void> {
  setOutputs(report);
  await writeSummary(buildSummary(report));
}

/** Arguments can carry credentials (a database URL, a token): the log and the summary show a fingerprint. */
function commandText(inputs: ActionInputs): string {
  if (inputs.mode === 'runner') {
    return inputs.sql
      ? `psql on the ${inputs.sql.files.length} SQL files of ${inputs.sql.directory}`
      : describeCommand(inputs.argv);
  }
  return inputs.command ? describeCommand(inputs.command) : 'the command of the task definition';
}
