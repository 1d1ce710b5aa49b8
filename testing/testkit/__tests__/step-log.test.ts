import { SecretMasker } from '../src/secret-masker';
import { StepLog } from '../src/step-log';

function logOf(lines: string[], masker = new SecretMasker()): StepLog {
  const log = new StepLog(masker);
  lines.forEach((line) => log.write(line));
  return log;
}

describe('StepLog', () => {
  test('a mask applies from its own line on, never to lines printed before it', () => {
    const log = logOf(['early s3cret', '::add-mask::s3cret', 'late s3cret', '::group::s3cret group', '::endgroup::']);
    expect(log.log).toBe('early s3cret\n::add-mask::***\nlate ***\n::group::*** group\n::endgroup::');
    expect(log.rawLog).toBe('early s3cret\n::add-mask::s3cret\nlate s3cret\n::group::s3cret group\n::endgroup::');
    expect(log.masks).toEqual(['s3cret']);
  });

  test('masks registered by an earlier step of the job apply, but are listed only where registered', () => {
    const masker = new SecretMasker();
    logOf(['::add-mask::from-main'], masker);
    const post = logOf(['post sees from-main'], masker);
    expect(post.log).toBe('post sees ***');
    expect(post.masks).toEqual([]);
  });

  test('an escaped mask value is unescaped before it is registered, and its command line never shows it', () => {
    const log = logOf(['::add-mask::50%25%0Aoff', 'now 50%', 'off']);
    expect(log.masks).toEqual(['50%\noff']);
    expect(log.log).toBe('::add-mask::***\nnow 50%\noff');
  });

  test('a blank mask is ignored', () => {
    const log = logOf(['::add-mask::  ', 'a b']);
    expect(log.masks).toEqual([]);
    expect(log.log).toBe('::add-mask::  \na b');
  });

  test('annotations are collected with unescaped properties and masked messages', () => {
    const log = logOf([
      '::add-mask::tok',
      '::error file=a.ts,line=2::bad tok',
      '::warning::w',
      '::notice title=T::n',
      '::debug::d',
    ]);
    expect(log.annotations).toEqual([
      { level: 'error', message: 'bad ***', properties: { file: 'a.ts', line: '2' } },
      { level: 'warning', message: 'w', properties: {} },
      { level: 'notice', message: 'n', properties: { title: 'T' } },
    ]);
  });

  test('commands are ignored between ::stop-commands::TOKEN and ::TOKEN::', () => {
    const log = logOf([
      '::stop-commands::pause',
      '::add-mask::ignored',
      '::error::ignored',
      '::pause::',
      '::add-mask::kept',
    ]);
    expect(log.masks).toEqual(['kept']);
    expect(log.annotations).toEqual([]);
  });
});
