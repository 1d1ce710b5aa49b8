import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseChangelog, prepareSection, releaseNotes, renderChangelog } from '../release/changelog';

const ROOT = join(__dirname, '..', '..');
const REPO = 'https://github.com/shipyard-dev/shipyard';

const changelog = (unreleased: string, links = true) =>
  [
    '# Changelog',
    '',
    'Intro.',
    '',
    '## [Unreleased]',
    '',
    unreleased,
    '## [1.1.0] - 2026-11-02',
    '',
    '### Fixed',
    '',
    '- ecs-deploy: a fix.',
    '',
    '## [1.0.0] - 2026-10-01',
    '',
    '### Added',
    '',
    '- Everything.',
    '',
    ...(links
      ? [
          `[Unreleased]: ${REPO}/compare/v1.1.0...HEAD`,
          `[1.1.0]: ${REPO}/compare/v1.0.0...v1.1.0`,
          `[1.0.0]: ${REPO}/releases/tag/v1.0.0`,
          '',
        ]
      : []),
  ].join('\n');

const UNRELEASED =
  '### Added\n\n- build-push: promotion without Docker.\n  Second line.\n\n### Removed\n\n### Fixed\n\n- A fix.\n';

describe('parse and render', () => {
  test('the sections, versions, dates and closing links', () => {
    const parsed = parseChangelog(changelog(UNRELEASED));
    expect(parsed.sections.map((s) => [s.version, s.date])).toEqual([
      [undefined, undefined],
      ['1.1.0', '2026-11-02'],
      ['1.0.0', '2026-10-01'],
    ]);
    expect(parsed.links).toEqual([
      `[Unreleased]: ${REPO}/compare/v1.1.0...HEAD`,
      `[1.1.0]: ${REPO}/compare/v1.0.0...v1.1.0`,
      `[1.0.0]: ${REPO}/releases/tag/v1.0.0`,
      '',
    ]);
  });

  test('rendering gives back the same bytes, for any sections and links', () => {
    const line = fc.oneof(
      fc.constantFrom('', '### Added', '### Fixed', '- an entry', '  continued', 'text [link][1.0.0]'),
      fc.string({ unit: fc.constantFrom('a', ' ', '-', '#', '[', ']', ':') }).filter((s) => !s.startsWith('## ')),
    );
    const section = fc.tuple(
      fc.oneof(
        fc.constant('## [Unreleased]'),
        fc
          .tuple(fc.nat(30), fc.nat(30), fc.nat(30))
          .map(([a, b, c]) => `## [${a}.${b}.${c}] - 2026-01-0${1 + (a % 9)}`),
      ),
      fc.array(line, { maxLength: 6 }),
    );
    const file = fc
      .tuple(fc.array(line, { maxLength: 3 }), fc.uniqueArray(section, { selector: ([h]) => h, maxLength: 4 }))
      .map(([preamble, sections]) => [...preamble, ...sections.flatMap(([h, body]) => [h, ...body])].join('\n'));
    fc.assert(fc.property(file, (text) => renderChangelog(parseChangelog(text)) === text));
  });

  test.each([
    ['a heading that is not a release', '## 1.2.0\n', 'CHANGELOG.md line 1: "## 1.2.0" is not "## [Unreleased]"'],
    ['a release without its date', '## [Unreleased]\n## [1.2.0]\n', 'line 2: "## [1.2.0]" is not'],
    ['a version twice', '## [1.2.0] - 2026-01-01\n## [1.2.0] - 2026-01-02\n', 'two sections for 1.2.0'],
  ])('%s is refused', (_name, text, message) => {
    expect(() => parseChangelog(text)).toThrow(message);
  });
});

describe('releaseNotes', () => {
  test("a version's section without its heading and surrounding blank lines", () => {
    expect(releaseNotes(changelog(UNRELEASED), '1.1.0')).toBe('### Fixed\n\n- ecs-deploy: a fix.\n');
    // The last section ends before the link definitions.
    expect(releaseNotes(changelog(UNRELEASED), '1.0.0')).toBe('### Added\n\n- Everything.\n');
  });

  test.each([
    ['1.2.0', 'CHANGELOG.md has no "## [1.2.0] - YYYY-MM-DD" section'],
    ['v1.1.0', '"v1.1.0" is not a release version X.Y.Z'],
  ])('%s: %s', (version, message) => {
    expect(() => releaseNotes(changelog(UNRELEASED), version)).toThrow(message);
  });

  test('an empty section is refused', () => {
    expect(() => releaseNotes('## [1.0.0] - 2026-01-01\n\n### Added\n\n', '1.0.0')).toThrow(
      "CHANGELOG.md's section for 1.0.0 is empty",
    );
  });
});

describe('prepareSection', () => {
  test('moves the Unreleased entries into a dated section, without empty headings, and updates the links', () => {
    const prepared = prepareSection(changelog(UNRELEASED), '1.2.0', '2026-12-24');
    expect(prepared).toBe(
      changelog('')
        .replace(
          '\n\n## [1.1.0]',
          '\n## [1.2.0] - 2026-12-24\n\n### Added\n\n- build-push: promotion without Docker.\n  Second line.\n\n' +
            '### Fixed\n\n- A fix.\n\n## [1.1.0]',
        )
        .replace(
          `[Unreleased]: ${REPO}/compare/v1.1.0...HEAD`,
          `[Unreleased]: ${REPO}/compare/v1.2.0...HEAD\n[1.2.0]: ${REPO}/compare/v1.1.0...v1.2.0`,
        ),
    );
    expect(releaseNotes(prepared, '1.2.0')).toBe(
      '### Added\n\n- build-push: promotion without Docker.\n  Second line.\n\n### Fixed\n\n- A fix.\n',
    );
  });

  test('the first release links to its tag; a file without links keeps none', () => {
    const first = `## [Unreleased]\n\n- New.\n\n[Unreleased]: ${REPO}/compare/v0.0.0...HEAD\n`;
    expect(prepareSection(first, '1.0.0', '2026-01-01')).toBe(
      `## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n\n- New.\n\n` +
        `[Unreleased]: ${REPO}/compare/v1.0.0...HEAD\n[1.0.0]: ${REPO}/releases/tag/v1.0.0\n`,
    );
    expect(prepareSection(changelog('- New.\n', false), '1.1.1', '2026-12-24')).not.toContain(']: ');
  });

  test.each([
    ['no Unreleased section', '## [1.0.0] - 2026-01-01\n\n- x\n', '1.1.0', 'has no "## [Unreleased]" section'],
    ['only empty headings', changelog('### Added\n\n### Fixed\n'), '1.2.0', '"Unreleased" section is empty'],
    ['a version already released', changelog(UNRELEASED), '1.1.0', '1.1.0 is not newer than 1.1.0'],
    ['an older version', changelog(UNRELEASED), '1.0.5', '1.0.5 is not newer than 1.1.0, the newest'],
  ])('%s is refused', (_name, text, version, message) => {
    expect(() => prepareSection(text, version, '2026-12-24')).toThrow(message);
  });

  test('a date that is not YYYY-MM-DD is refused', () => {
    expect(() => prepareSection(changelog(UNRELEASED), '1.2.0', '24.12.2026')).toThrow(
      'the release date must be YYYY-MM-DD, got "24.12.2026"',
    );
  });
});

describe("the repository's CHANGELOG.md", () => {
  const text = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  test('parses, and has a section for the version in package.json', () => {
    expect(renderChangelog(parseChangelog(text))).toBe(text);
    expect(releaseNotes(text, version)).toContain('### Added\n');
  });
});
