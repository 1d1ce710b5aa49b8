import { LastLines, LineSplitter, printUntrusted } from '../src/output';

describe('printUntrusted', () => {
  test('wraps the lines in stop-commands so a workflow command in a log line is not executed', () => {
    const written: string[] = [];
    printUntrusted(['::add-mask::x', 'plain', '::error::boom'], (text) => written.push(text));
    const lines = written.join('').split('\n');
    const token = /^::stop-commands::(.+)$/.exec(lines[0])?.[1];
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.slice(1)).toEqual(['::add-mask::x', 'plain', '::error::boom', `::${token}::`, '']);
  });

  test('prints nothing for no lines', () => {
    const written: string[] = [];
    printUntrusted([], (text) => written.push(text));
    expect(written).toEqual([]);
  });

  test('uses a fresh token each time, so a log line cannot guess it', () => {
    const written: string[] = [];
    printUntrusted(['a'], (text) => written.push(text));
    printUntrusted(['b'], (text) => written.push(text));
    expect(written[0].split('\n')[0]).not.toBe(written[1].split('\n')[0]);
  });
});

describe('LastLines', () => {
  test.each([
    [
      3,
      [
        ['a', 'b'],
        ['c', 'd', 'e'],
      ],
      ['c', 'd', 'e'],
    ],
    [3, [['a'], []], ['a']],
    [1, [['a', 'b', 'c']], ['c']],
  ])('keeps the last %i of %j', (limit, batches, expected) => {
    const last = new LastLines(limit);
    batches.forEach((batch) => last.push(batch));
    expect(last.lines).toEqual(expected);
  });
});

describe('LineSplitter', () => {
  test.each([
    [['a\nb\n'], ['a', 'b']],
    [
      ['a', 'b\nc'],
      ['ab', 'c'],
    ],
    [['x\r\ny\r\n'], ['x', 'y']],
    [['\n\n'], ['', '']],
    [['tail without newline'], ['tail without newline']],
  ])('%j → %j', (chunks, expected) => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    chunks.forEach((chunk) => splitter.write(chunk));
    splitter.flush();
    expect(lines).toEqual(expected);
  });
});
