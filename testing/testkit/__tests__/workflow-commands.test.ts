import { parseFileCommand, parseWorkflowCommand } from '../src/workflow-commands';

describe('parseWorkflowCommand', () => {
  test.each([
    ['::error::boom', { command: 'error', properties: {}, data: 'boom' }],
    ['  ::warning::indented', { command: 'warning', properties: {}, data: 'indented' }],
    ['::NOTICE::upper-case name', { command: 'notice', properties: {}, data: 'upper-case name' }],
    [
      '::error file=a%2Cb.ts,line=3,col=7::multi%0Aline',
      { command: 'error', properties: { file: 'a,b.ts', line: '3', col: '7' }, data: 'multi\nline' },
    ],
    [
      '::warning title=a%3Ab%0D%0Ac%25 2C::100%25 %2C kept %3A kept',
      { command: 'warning', properties: { title: 'a:b\r\nc% 2C' }, data: '100% %2C kept %3A kept' },
    ],
    [
      '::notice title=,=x,y=,z=a=b::empty pairs dropped',
      { command: 'notice', properties: { z: 'a=b' }, data: 'empty pairs dropped' },
    ],
    ['::group::Build', { command: 'group', properties: {}, data: 'Build' }],
    ['::endgroup::', { command: 'endgroup', properties: {}, data: '' }],
    ['::add-mask::%2525', { command: 'add-mask', properties: {}, data: '%25' }],
  ])('%s', (line, expected) => {
    expect(parseWorkflowCommand(line)).toEqual(expected);
  });

  test.each([
    ['plain output'],
    ['::unknown::not a registered command'],
    ['::error no closing separator'],
    ['text before ::error::not at the start'],
  ])('%s is plain output', (line) => {
    expect(parseWorkflowCommand(line)).toBeUndefined();
  });

  test('a stop-commands token is recognised once registered', () => {
    expect(parseWorkflowCommand('::pause-123::')).toBeUndefined();
    expect(parseWorkflowCommand('::pause-123::', new Set(['pause-123']))).toEqual({
      command: 'pause-123',
      properties: {},
      data: '',
    });
  });
});

describe('parseFileCommand', () => {
  test.each([
    ['', {}],
    ['name=value\n', { name: 'value' }],
    ['a=1\r\nb=x=y\n\nc=\n', { a: '1', b: 'x=y', c: '' }],
    ['multi<<EOF\nline 1\nline 2\nEOF\nnext=1\n', { multi: 'line 1\nline 2', next: '1' }],
    ['empty<<EOF\nEOF\n', { empty: '' }],
    ['a=b<<c\n', { a: 'b<<c' }],
    ['a<<x=y\nvalue\nx=y\n', { a: 'value' }],
    ['same=1\nsame=2\n', { same: '2' }],
  ])('%j', (content, expected) => {
    expect(parseFileCommand(content)).toEqual(expected);
  });

  test.each([
    ['=value\n', "Invalid format '=value' in GITHUB_OUTPUT: name must not be empty"],
    ['no separator\n', "Invalid format 'no separator' in GITHUB_OUTPUT"],
    ['<<EOF\nx\nEOF\n', "Invalid format '<<EOF' in GITHUB_OUTPUT"],
    ['name<<\nx\n', "Invalid format 'name<<' in GITHUB_OUTPUT"],
    ['name<<EOF\nnever closed\n', "Matching delimiter not found 'EOF' in GITHUB_OUTPUT"],
  ])('%j is rejected', (content, message) => {
    expect(() => parseFileCommand(content, 'GITHUB_OUTPUT')).toThrow(message);
  });
});
