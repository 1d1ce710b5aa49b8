import fc from 'fast-check';
import {
  commonVersion,
  compareVersions,
  nextVersion,
  parseVersion,
  tagMoves,
  tagVersion,
  withVersion,
} from '../release/versions';

const version = fc.tuple(fc.nat(999), fc.nat(999), fc.nat(999)).map((parts) => parts.join('.'));

describe('parseVersion', () => {
  test.each([
    ['1.4.2', [1, 4, 2]],
    ['0.0.0', [0, 0, 0]],
    ['10.20.300', [10, 20, 300]],
  ])('%s', (text, parts) => {
    expect(parseVersion(text)).toEqual(parts);
  });

  test.each(['v1.4.2', '1.4', '1.4.2-rc.1', '1.4.2+build', '01.4.2', '1.4.2 ', ''])('%j is refused', (text) => {
    expect(() => parseVersion(text)).toThrow(`"${text}" is not a release version X.Y.Z (e.g. 1.4.2)`);
  });
});

describe('nextVersion', () => {
  test.each([
    ['1.4.2', 'patch', '1.4.3'],
    ['1.4.2', 'minor', '1.5.0'],
    ['1.4.2', 'major', '2.0.0'],
    ['1.4.2', ' minor ', '1.5.0'],
    ['1.4.2', '1.10.0', '1.10.0'],
    ['1.4.2', 'v2.0.0', '2.0.0'],
  ])('%s + %j = %s', (current, request, next) => {
    expect(nextVersion(current, request)).toBe(next);
  });

  test.each([
    ['1.4.2', 'Minor', 'must be major, minor, patch or X.Y.Z, got "Minor"'],
    ['1.4.2', '1.5', 'must be major, minor, patch or X.Y.Z, got "1.5"'],
    ['1.4.2', '1.4.2', '1.4.2 is not newer than the current version 1.4.2'],
    ['1.4.2', '1.3.9', '1.3.9 is not newer than the current version 1.4.2'],
  ])('%s + %j is refused', (current, request, message) => {
    expect(() => nextVersion(current, request)).toThrow(message);
  });

  test('every bump is newer, and a bump of a part resets the parts after it', () => {
    fc.assert(
      fc.property(version, fc.constantFrom('major', 'minor', 'patch'), (current, bump) => {
        const next = nextVersion(current, bump);
        const [, minor, patch] = parseVersion(next);
        return (
          compareVersions(next, current) > 0 &&
          (bump === 'patch' || patch === 0) &&
          (bump !== 'major' || minor === 0) &&
          nextVersion(current, next) === next
        );
      }),
    );
  });
});

test('compareVersions orders numerically, not as text', () => {
  expect(['1.10.0', '1.9.9', '2.0.0', '1.9.10'].sort(compareVersions)).toEqual(['1.9.9', '1.9.10', '1.10.0', '2.0.0']);
});

test.each([
  ['v1.4.2', '1.4.2'],
  ['v1', undefined],
  ['v1.4', undefined],
  ['1.4.2', undefined],
  ['v1.4.2-rc.1', undefined],
  ['v01.4.2', undefined],
])('tagVersion(%j) = %j', (tag, expected) => {
  expect(tagVersion(tag)).toBe(expected);
});

describe('tagMoves', () => {
  const tags = ['v1', 'v2', 'v1.4.2', 'v1.5.0', 'v2.0.0', 'v2.1.0', 'nightly', ''];
  test.each<[string, string[], { majorTag: string; moveMajor: boolean; latest: boolean }]>([
    ['2.2.0', tags, { majorTag: 'v2', moveMajor: true, latest: true }],
    ['2.1.1', tags, { majorTag: 'v2', moveMajor: true, latest: true }],
    ['1.5.1', tags, { majorTag: 'v1', moveMajor: true, latest: false }],
    ['1.4.3', tags, { majorTag: 'v1', moveMajor: false, latest: false }],
    ['3.0.0', tags, { majorTag: 'v3', moveMajor: true, latest: true }],
    // A re-run of the release of the newest tag (the tag itself is listed).
    ['2.1.0', tags, { majorTag: 'v2', moveMajor: true, latest: true }],
    ['1.0.0', [], { majorTag: 'v1', moveMajor: true, latest: true }],
  ])('%s', (released, existing, moves) => {
    expect(tagMoves(released, existing)).toEqual(moves);
  });
});

describe('withVersion', () => {
  const internal = new Set(['@shipyard/platform', '@shipyard/aws-sim']);

  test('sets the version and the internal dependencies, keeps the rest and the field order', () => {
    const manifest = {
      name: '@shipyard/migrate',
      version: '1.0.0',
      private: true,
      dependencies: { '@shipyard/platform': '1.0.0', pg: '^8.0.0' },
      devDependencies: { '@shipyard/aws-sim': '1.0.0' },
    };
    const updated = withVersion(manifest, '1.1.0', internal);
    expect(updated).toEqual({
      name: '@shipyard/migrate',
      version: '1.1.0',
      private: true,
      dependencies: { '@shipyard/platform': '1.1.0', pg: '^8.0.0' },
      devDependencies: { '@shipyard/aws-sim': '1.1.0' },
    });
    expect(Object.keys(updated)).toEqual(Object.keys(manifest));
    expect(manifest.version).toBe('1.0.0');
  });
});

describe('commonVersion', () => {
  test('the one version of every package.json', () => {
    expect(commonVersion({ 'package.json': { version: '1.2.0' }, 'a/package.json': { version: '1.2.0' } })).toBe(
      '1.2.0',
    );
  });

  test('names each version when they differ or one is missing', () => {
    expect(() => commonVersion({ 'package.json': {}, 'a/package.json': { version: '1.2.0' } })).toThrow(
      'every package.json must carry the same version (package.json: no version, a/package.json: 1.2.0)',
    );
  });
});
