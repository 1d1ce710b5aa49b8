import fc from 'fast-check';
import { parseImageReference } from '../src/image-reference';

describe('parseImageReference', () => {
  test.each([
    ['nginx', { repository: 'nginx' }],
    ['library/nginx:1.27', { repository: 'library/nginx', tag: '1.27' }],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:v1.2.3',
      { host: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repository: 'team/web', tag: 'v1.2.3' },
    ],
    ['localhost:5000/a__b--c.d:latest', { host: 'localhost:5000', repository: 'a__b--c.d', tag: 'latest' }],
    ['Registry.Example:443/web', { host: 'Registry.Example:443', repository: 'web' }],
    [`web@sha256:${'a'.repeat(64)}`, { repository: 'web', digest: `sha256:${'a'.repeat(64)}` }],
    [`web:v2@sha256:${'b'.repeat(64)}`, { repository: 'web', tag: 'v2', digest: `sha256:${'b'.repeat(64)}` }],
  ])('%j', (value, expected) => {
    expect(parseImageReference(value)).toEqual(expected);
  });

  test.each([
    ['Example/WEB:v2', 'the repository must be lower-case'],
    ['example/WEB', 'the repository must be lower-case'],
    ['web:', 'the tag is not 1 to 128 letters, digits, "_", "." or "-"'],
    ['web:-v1', 'the tag is not 1 to 128 letters, digits, "_", "." or "-"'],
    [`web:${'v'.repeat(129)}`, 'the tag is not 1 to 128 letters, digits, "_", "." or "-"'],
    ['web@sha256:abc', 'the digest is not algorithm:hex, e.g. sha256:<64 hex digits>'],
    ['bad_host.io/web', 'the registry is not a host name with an optional port'],
    ['a//b', 'the repository is not lower-case letters and digits joined by ".", "_", "-" or "/"'],
    ['web; rm -rf /', 'the repository is not lower-case letters and digits joined by ".", "_", "-" or "/"'],
    [`r/${'a'.repeat(254)}`, 'host and repository are longer than 255 characters'],
  ])('%j → %s', (value, problem) => {
    expect(parseImageReference(value)).toBe(problem);
  });

  test('what it accepts prints back as it was read', () => {
    // No "." in a component: a first component with one is a host, as Docker reads it.
    const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[_-][a-z0-9]{1,8})?$/);
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom('ghcr.io', 'localhost:5000', '123456789012.dkr.ecr.eu-north-1.amazonaws.com')),
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/)),
        (host, path, tag) => {
          const value = `${host ? `${host}/` : ''}${path.join('/')}${tag ? `:${tag}` : ''}`;
          const parsed = parseImageReference(value);
          expect(parsed).toEqual({ host: host ?? undefined, repository: path.join('/'), tag: tag ?? undefined });
        },
      ),
    );
  });

  test('nothing with a space, a control character or an upper-case repository is accepted', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const bad = /[\s\p{Cc}]/u.test(value) || /^[^/]*[A-Z][^/]*$/.test(value.split(/[:@]/)[0]);
        if (bad) expect(typeof parseImageReference(value)).toBe('string');
      }),
    );
  });
});
