import { shortTaskDefinition } from '@shipyard/ecs/names';
import type { StepRecord } from '@shipyard/scenarios/model';
import { bold, dim, formatTable, green, red, renderMarkdown, seconds, yellow } from './render';

// What the demo prints while it runs (one line per step, our actions' job summaries) and the final table.

const OUR_ACTION = /^\.\/actions\/([a-z-]+)$/;

export function actionOf(record: StepRecord): string | undefined {
  return OUR_ACTION.exec(record.uses ?? '')?.[1];
}

const shortDigest = (ref: string | undefined) => (ref ?? '').replace(/sha256:([a-f0-9]{12})[a-f0-9]+/, 'sha256:$1…');

/** The one output that tells what a step did. */
export function keyOutput(record: StepRecord): string {
  const out = record.outputs;
  switch (actionOf(record)) {
    case 'build-push':
      return `${out.promoted === 'true' ? 'promoted' : 'built'} ${shortDigest(out['image-ref']).split('/').pop()}`;
    case 'migrate':
      return [`exit ${out['exit-code'] || '?'}`, out['snapshot-id'] && `snapshot ${out['snapshot-id']}`]
        .filter(Boolean)
        .join(', ');
    case 'ecs-deploy':
      return out.status
        ? `${out.status}: ${shortTaskDefinition(out['task-definition-arn'])}`
        : `registered ${shortTaskDefinition(out['task-definition-arn'])}`;
    case 'invalidate-cdn':
      return `invalidations ${out['invalidation-ids'] ?? ''}`;
    case 'rollback': {
      const targets = Object.values(JSON.parse(out['rolled-back-to'] || '{}') as Record<string, string>);
      return `${out.status}: → ${targets.map(shortTaskDefinition).join(', ')}`;
    }
    default:
      return '';
  }
}

function mark(record: StepRecord): string {
  if (record.result === 'success') return green('✔');
  if (record.result === 'failure') return red('✘');
  return dim('–');
}

/** A step as it finishes: one line, plus the job summary of our actions (and of scripts that write one). */
export function stepLines(record: StepRecord): string[] {
  const action = actionOf(record);
  const where = `${record.jobName}${record.environment ? ` [${record.environment}]` : ''}`;
  const name = action ? bold(`${record.step} (${action})`) : record.step;
  const time = record.result === 'skipped' ? dim('skipped') : dim(seconds(record.durationMs));
  const note = record.note ? dim(` — ${record.note}`) : '';
  const lines = [`  ${mark(record)} ${dim(where)} · ${name} ${time}${note}`];
  if (record.result === 'skipped') return lines;
  if (record.summary.trim()) lines.push(...renderMarkdown(record.summary));
  else if (action && record.result === 'failure') {
    lines.push(
      ...record.log
        .split('\n')
        .slice(-8)
        .map((line) => `    ${line}`),
    );
  }
  const errors = record.annotations.filter((a) => a.level === 'error').map((a) => `    ${red('error:')} ${a.message}`);
  if (record.result === 'failure') lines.push(...errors);
  return lines;
}

export interface TableRow {
  phase: string;
  record: StepRecord;
}

/** The final table: each of our actions' steps with its environment, result, duration and key output. */
export function finalTable(rows: TableRow[]): string[] {
  const header = ['Phase', 'Step', 'Action', 'Environment', 'Result', 'Duration', 'Key output'];
  const body = rows.map(({ phase, record }) => [
    phase,
    record.step,
    actionOf(record) ?? '',
    record.environment ?? (record.jobName.startsWith('Promote') ? 'production (promotion)' : '—'),
    record.result === 'success' ? 'ok' : record.result === 'failure' ? 'FAILED' : 'skipped',
    record.result === 'skipped' ? '' : seconds(record.durationMs),
    record.result === 'skipped' ? '' : keyOutput(record),
  ]);
  return formatTable([header, ...body], '  ', 60).map((line) => (line.includes('FAILED') ? yellow(line) : line));
}
