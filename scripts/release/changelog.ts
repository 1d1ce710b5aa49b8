// CHANGELOG.md in the Keep a Changelog layout (https://keepachangelog.com/en/1.1.0/): a preamble, `## [Unreleased]`,
// then `## [X.Y.Z] - YYYY-MM-DD` sections newest first, and link definitions at the end. Parsed into lines so that
// rendering an unchanged changelog gives back the same bytes, and a release only moves what it must.
import { compareVersions, parseVersion } from './versions';

export interface Section {
  heading: string;
  /** Undefined for Unreleased. */
  version?: string;
  date?: string;
  lines: string[];
}

export interface Changelog {
  preamble: string[];
  sections: Section[];
  /** `[label]: url` lines (and the blank lines between them) after the last section. */
  links: string[];
}

const UNRELEASED = /^## \[Unreleased\]\s*$/;
const RELEASED = /^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})\s*$/;
const LINK = /^\[[^\]]+\]:\s*\S/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ChangelogError extends Error {
  override name = 'ChangelogError';
}

export function parseChangelog(text: string): Changelog {
  const lines = text.split('\n');
  const changelog: Changelog = { preamble: [], sections: [], links: [] };
  lines.forEach((line, index) => {
    if (line.startsWith('## ')) {
      const released = RELEASED.exec(line);
      if (!released && !UNRELEASED.test(line)) {
        throw new ChangelogError(
          `CHANGELOG.md line ${index + 1}: "${line}" is not "## [Unreleased]" or "## [X.Y.Z] - YYYY-MM-DD"`,
        );
      }
      changelog.sections.push({ heading: line, version: released?.[1], date: released?.[2], lines: [] });
    } else if (changelog.sections.length === 0) changelog.preamble.push(line);
    else changelog.sections[changelog.sections.length - 1].lines.push(line);
  });
  const last = changelog.sections.at(-1);
  if (last) {
    // The link definitions close the file; a blank line before them stays with the section.
    let start = last.lines.length;
    while (start > 0 && (LINK.test(last.lines[start - 1]) || last.lines[start - 1] === '')) start--;
    while (start < last.lines.length && last.lines[start] === '') start++;
    changelog.links = last.lines.splice(start);
  }
  const versions = changelog.sections.flatMap((s) => (s.version ? [s.version] : []));
  const duplicate = versions.find((v, i) => versions.indexOf(v) !== i);
  if (duplicate) throw new ChangelogError(`CHANGELOG.md has two sections for ${duplicate}`);
  return changelog;
}

export function renderChangelog(changelog: Changelog): string {
  return [
    ...changelog.preamble,
    ...changelog.sections.flatMap((section) => [section.heading, ...section.lines]),
    ...changelog.links,
  ].join('\n');
}

/** Lines that say something: not blank, not a `###` heading. */
const isEntry = (line: string) => line.trim() !== '' && !line.startsWith('### ');

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return lines.slice(start, end);
}

/** The body of `version`'s section, as GitHub release notes. */
export function releaseNotes(text: string, version: string): string {
  parseVersion(version);
  const section = parseChangelog(text).sections.find((s) => s.version === version);
  if (!section) throw new ChangelogError(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`);
  if (!section.lines.some(isEntry)) throw new ChangelogError(`CHANGELOG.md's section for ${version} is empty`);
  return `${trimBlank(section.lines).join('\n')}\n`;
}

/** `### Added` headings with nothing under them (and their blank lines) are left out of a release. */
function withoutEmptyHeadings(lines: string[]): string[] {
  const groups: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('### ')) groups.push([line]);
    else groups[groups.length - 1].push(line);
  }
  return groups.filter((group, index) => index === 0 || group.some(isEntry)).flat();
}

/**
 * Moves the Unreleased entries into a new `## [version] - date` section under an empty Unreleased, and points the
 * compare links at the new tag when the file has them (`[Unreleased]: <repo>/compare/vA...HEAD`).
 */
export function prepareSection(text: string, version: string, date: string): string {
  parseVersion(version);
  if (!DATE.test(date)) throw new ChangelogError(`the release date must be YYYY-MM-DD, got "${date}"`);
  const changelog = parseChangelog(text);
  const unreleased = changelog.sections.find((s) => s.version === undefined);
  if (!unreleased) throw new ChangelogError('CHANGELOG.md has no "## [Unreleased]" section');
  if (!unreleased.lines.some(isEntry)) {
    throw new ChangelogError('CHANGELOG.md\'s "Unreleased" section is empty: nothing to release');
  }
  const newest = changelog.sections.find((s) => s.version !== undefined)?.version;
  if (newest && compareVersions(version, newest) <= 0) {
    throw new ChangelogError(`${version} is not newer than ${newest}, the newest version in CHANGELOG.md`);
  }
  const released: Section = {
    heading: `## [${version}] - ${date}`,
    version,
    date,
    lines: ['', ...trimBlank(withoutEmptyHeadings(unreleased.lines)), ''],
  };
  unreleased.lines = [''];
  changelog.sections.splice(changelog.sections.indexOf(unreleased) + 1, 0, released);
  changelog.links = updateLinks(changelog.links, version, newest);
  return renderChangelog(changelog);
}

function updateLinks(links: string[], version: string, previous: string | undefined): string[] {
  const index = links.findIndex((line) => /^\[Unreleased\]:/i.test(line));
  const repository = index === -1 ? undefined : /^\[Unreleased\]:\s*(\S+)\/compare\/\S+$/i.exec(links[index])?.[1];
  if (!repository) return links;
  const added = previous
    ? `[${version}]: ${repository}/compare/v${previous}...v${version}`
    : `[${version}]: ${repository}/releases/tag/v${version}`;
  return [
    ...links.slice(0, index),
    `[Unreleased]: ${repository}/compare/v${version}...HEAD`,
    added,
    ...links.slice(index + 1),
  ];
}
