import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_CORPUS } from '@shipyard/testkit/secret-corpus';
import * as core from '../src/core';
import { STEP_SUMMARY_LIMIT_BYTES, SummaryBuilder, writeSummary } from '../src/summary';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

jest.mock('../src/core');
const mockedCore = jest.mocked(core);

describe('SummaryBuilder', () => {
  test.each<[string, (b: SummaryBuilder) => SummaryBuilder, string]>([
    ['an empty builder', (b) => b, ''],
    ['a level-2 heading by default', (b) => b.heading('Deployed web'), '## Deployed web\n'],
    ['a heading on one line', (b) => b.heading('Deployed\nweb', 3), '### Deployed web\n'],
    [
      'a table',
      (b) =>
        b.table(
          ['Service', 'Tasks'],
          [
            ['web', 3],
            ['worker', 1],
          ],
        ),
      '| Service | Tasks |\n| --- | --- |\n| web | 3 |\n| worker | 1 |\n',
    ],
    [
      'a table with pipes and line breaks in cells',
      (b) => b.table(['Command'], [['grep a | wc -l'], ['line one\nline two'], ['`a|b`']]),
      '| Command |\n| --- |\n| grep a \\| wc -l |\n| line one<br>line two |\n| `a\\|b` |\n',
    ],
    ['a table without rows', (b) => b.table(['A', 'B'], []), '| A | B |\n| --- | --- |\n'],
    [
      'collapsible details with markdown inside',
      (b) => b.details('Events <latest 3> & more', '- one\n- two'),
      '<details><summary>Events &lt;latest 3&gt; &amp; more</summary>\n\n- one\n- two\n\n</details>\n',
    ],
    [
      'details holding another builder',
      (b) => b.details('Diff', new SummaryBuilder().heading('Changes', 4).list(['cpu: 256 → 512'])),
      '<details><summary>Diff</summary>\n\n#### Changes\n\n- cpu: 256 → 512\n\n</details>\n',
    ],
    ['a bullet list', (b) => b.list(['a', 'b']), '- a\n- b\n'],
    ['an ordered list', (b) => b.list(['a', 'b'], { ordered: true }), '1. a\n2. b\n'],
    ['a multi-line list item stays one item', (b) => b.list(['first\nsecond']), '- first\n  second\n'],
    ['an empty list adds nothing', (b) => b.list([]), ''],
    ['a code block', (b) => b.code('docker build .\n', 'sh'), '```sh\ndocker build .\n```\n'],
    ['a code block holding a fence', (b) => b.code('```js\nx\n```'), '````\n```js\nx\n```\n````\n'],
    ['raw markdown', (b) => b.raw('  **bold**  \n'), '**bold**\n'],
    ['blocks separated by blank lines', (b) => b.heading('Title').raw('text').list(['x']), '## Title\n\ntext\n\n- x\n'],
  ])('%s', (_, build, expected) => expect(build(new SummaryBuilder()).toMarkdown()).toBe(expected));

  test('isEmpty', () => {
    expect(new SummaryBuilder().isEmpty()).toBe(true);
    expect(new SummaryBuilder().raw('   ').isEmpty()).toBe(true);
    expect(new SummaryBuilder().heading('x').isEmpty()).toBe(false);
  });
});

describe('writeSummary', () => {
  let dir: string;
  beforeEach(() => {
    jest.resetAllMocks();
    dir = tempDir('shipyard-summary-');
  });
  afterEach(() => delete process.env.GITHUB_STEP_SUMMARY);

  test('redacts credential shapes in every block: headings, tables, details, code', async () => {
    const file = join(dir, 'redacted.md');
    writeFileSync(file, '');
    process.env.GITHUB_STEP_SUMMARY = file;
    for (const { value, secret } of SECRET_CORPUS) {
      const body = new SummaryBuilder().table(['v'], [[value]]).code(value);
      await writeSummary(new SummaryBuilder().heading(value).details(value, body).list([value]));
      expect(readFileSync(file, 'utf8')).not.toContain(secret);
    }
  });

  test('appends to the GITHUB_STEP_SUMMARY file, after what earlier steps wrote', async () => {
    const file = join(dir, 'summary.md');
    writeFileSync(file, '# Earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    await writeSummary(new SummaryBuilder().heading('Deployed').table(['a'], [['1']]));
    await writeSummary(new SummaryBuilder().raw('second'));
    expect(readFileSync(file, 'utf8')).toBe('# Earlier step\n\n## Deployed\n\n| a |\n| --- |\n| 1 |\n\nsecond\n');
    expect(mockedCore.warning).not.toHaveBeenCalled();
  });

  test('a failure to write becomes a warning, never an exception', async () => {
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'no-such-dir', 'summary.md');
    await expect(writeSummary(new SummaryBuilder().raw('x'))).resolves.toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledTimes(1);
    expect(mockedCore.warning.mock.calls[0][0]).toMatch(/^Job summary not written: ENOENT: no such file or directory/);
  });

  test("a summary over GitHub's 1 MiB limit is not written, with a warning", async () => {
    const file = join(dir, 'summary.md');
    writeFileSync(file, 'x'.repeat(STEP_SUMMARY_LIMIT_BYTES - 10));
    process.env.GITHUB_STEP_SUMMARY = file;
    await writeSummary(new SummaryBuilder().raw('y'.repeat(100)));
    expect(readFileSync(file, 'utf8')).toHaveLength(STEP_SUMMARY_LIMIT_BYTES - 10);
    expect(mockedCore.warning).toHaveBeenCalledWith(
      "Job summary not written: it would be 1025 KiB, over GitHub's 1 MiB limit.",
    );
  });

  test('without GITHUB_STEP_SUMMARY (a local run) only a debug line is logged', async () => {
    await writeSummary(new SummaryBuilder().raw('x'));
    expect(mockedCore.debug).toHaveBeenCalledWith('No job summary written: GITHUB_STEP_SUMMARY is not set.');
    expect(mockedCore.warning).not.toHaveBeenCalled();
  });

  test('an empty builder writes nothing', async () => {
    const file = join(dir, 'summary.md');
    writeFileSync(file, '');
    process.env.GITHUB_STEP_SUMMARY = file;
    await writeSummary(new SummaryBuilder());
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
