import { SecretMasker } from '../src/secret-masker';

function maskerWith(...values: string[]): SecretMasker {
  const masker = new SecretMasker();
  values.forEach((value) => masker.add(value));
  return masker;
}

describe('SecretMasker', () => {
  test.each([
    [['hunter2'], 'password is hunter2.', 'password is ***.'],
    [['hunter2'], 'hunter2hunter2 and hunter2', '*** and ***'],
    [['abc', 'bcd'], 'xabcdx', 'x***x'],
    [['abc', 'xyz'], 'abc-xyz', '***-***'],
    [['long secret', 'secret'], 'a long secret', 'a ***'],
    [[''], 'nothing to mask', 'nothing to mask'],
    [['p@ss word'], 'url p%40ss%20word', 'url ***'],
    [["it's"], "quoted 'it''s'", "quoted '***'"],
    [['a"b\\c'], 'json "a\\"b\\\\c"', 'json "***"'],
    [['<tag & "x">'], 'xml &lt;tag &amp; &quot;x&quot;&gt;', 'xml ***'],
    [['"quoted secret"'], 'trimmed quoted secret', 'trimmed ***'],
  ])('%j masks %j', (values, input, expected) => {
    expect(maskerWith(...values).mask(input)).toBe(expected);
  });

  test.each([
    ['user:pa55word-xyz', 0],
    ['user:pa55word-xyz', 1],
    ['user:pa55word-xyz', 2],
  ])('masks base64 of %s shifted by %i bytes', (secret, shift) => {
    const encoded = Buffer.from(Buffer.from(secret).subarray(shift)).toString('base64');
    expect(maskerWith(secret).mask(`Authorization: Basic ${encoded}`)).toBe('Authorization: Basic ***');
  });
});
