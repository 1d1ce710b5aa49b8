import { buildSummary, newReport, type Report } from '../src/summary';

const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/wheelsup-staging/0a1b2c3d';

function report(fields: Partial<Report>): Report {
  return { ...newReport('ecs', '["npm","run","db:push"]'), ...fields };
}

describe('buildSummary', () => {
  test('a successful ECS migration with its snapshot and how to restore it', () => {
    const markdown = buildSummary(
      report({
        succeeded: true,
        taskArn: TASK,
        taskUrl: 'https://console/task',
        logGroup: '/ecs/wheelsup-web-staging',
        logStream: 'ecs/wheelsup-web/0a1b2c3d',
        exitCode: 0,
        durationMs: 83_000,
        lastLines: ['Applying 0003_add_index', 'Done.'],
        snapshot: {
          id: 'wheelsup-staging-db-pre-abc1234-77',
          kind: 'instance',
          db: 'wheelsup-staging-db',
          available: true,
          restore: 'aws rds restore-db-instance-from-db-snapshot --db-instance-identifier x --db-snapshot-identifier y',
        },
      }),
    ).toMarkdown();
    expect(markdown).toBe(
      [
        '## Migration succeeded',
        '',
        '|  |  |',
        '| --- | --- |',
        '| Command | `["npm","run","db:push"]` |',
        `| Task | [\`${TASK}\`](https://console/task) |`,
        '| Log stream | `ecs/wheelsup-web/0a1b2c3d` in `/ecs/wheelsup-web-staging` |',
        '| Exit code | 0 |',
        '| Duration | 1m23s |',
        '| Snapshot | `wheelsup-staging-db-pre-abc1234-77` of `wheelsup-staging-db` (available) |',
        '',
        '<details><summary>Last 2 log lines</summary>',
        '',
        '```',
        'Applying 0003_add_index',
        'Done.',
        '```',
        '',
        '</details>',
        '',
        'To go back to the schema before this migration, restore the snapshot into a new database and point the app ' +
          'at it (restoring never overwrites `wheelsup-staging-db`):',
        '',
        '```sh',
        'aws rds restore-db-instance-from-db-snapshot --db-instance-identifier x --db-snapshot-identifier y',
        '```',
        '',
      ].join('\n'),
    );
  });

  test.each<[string, Partial<Report>, string[]]>([
    [
      'a task that never started',
      { reason: 'ECS started no task: MISSING' },
      ['## Migration failed: ECS started no task: MISSING', '| Task | not started |', '| Exit code | none |'],
    ],
    [
      'a failing exit code with a pipe in a log line',
      { reason: 'container "app" exited with code 3', taskArn: TASK, exitCode: 3, lastLines: ['a | b'] },
      ['| Exit code | 3 |', '<details><summary>Last 1 log lines</summary>', 'a | b'],
    ],
    [
      'a snapshot still being created when the step failed',
      { snapshot: { id: 's-1', kind: 'cluster', db: 'aurora', available: false } },
      ['| Snapshot | `s-1` of `aurora` (not available yet) |'],
    ],
    [
      'runner mode',
      { mode: 'runner', command: 'npx node-pg-migrate up', succeeded: true, exitCode: 0 },
      ['| Command | `npx node-pg-migrate up` |', '| Ran on | the runner |'],
    ],
    [
      'SQL files: applied, recorded by the baseline, skipped, and the one that failed',
      {
        mode: 'runner',
        command: 'psql on the 8 SQL files of db',
        exitCode: 3,
        sql: {
          ledger: 'ops.ledger',
          applied: ['005_a.sql'],
          baselined: ['001_x.sql', '002_y.sql'],
          skipped: 2,
          failed: { file: '006_b.sql', rolledBack: true },
        },
      },
      [
        '| Ledger | `ops.ledger` |',
        '| Applied | `005_a.sql` |',
        '| Recorded without running (baseline) | `001_x.sql`, `002_y.sql` |',
        '| Already applied | 2 |',
        '| Failed | `006_b.sql` (rolled back, not recorded) |',
        '| Exit code | 3 |',
      ],
    ],
    [
      'SQL files: nothing to apply; a no-transaction file failed',
      {
        mode: 'runner',
        sql: { ledger: 'l', applied: [], baselined: [], skipped: 7, failed: { file: '8.sql', rolledBack: false } },
      },
      [
        '| Applied | none |',
        '| Already applied | 7 |',
        '| Failed | `8.sql` (ran outside a transaction: may have run in part) |',
      ],
    ],
  ])('%s', (_name, fields, lines) => {
    const markdown = buildSummary(report(fields)).toMarkdown();
    for (const line of lines) expect(markdown.split('\n')).toContain(line);
  });
});
