import { LastLines, LineSplitter } from '../src/output';

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
