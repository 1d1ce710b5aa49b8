// The release steps the workflows run (docs/releasing.md):
//
//   npx tsx scripts/release.ts prepare <major|minor|patch|X.Y.Z> [--date YYYY-MM-DD]
//       prepare-release.yml: bumps every package.json and package-lock.json to the new version and moves the
//       Unreleased entries of CHANGELOG.md into a dated section. Outputs: version, notes.
//   npx tsx scripts/release.ts verify <tag>
//       release.yml: the tag is vX.Y.Z, every package.json carries X.Y.Z, CHANGELOG.md has its section, and whether
//       the major tag moves. Outputs: version, commit, major-tag, move-major, latest, notes.
//   npx tsx scripts/release.ts notes <X.Y.Z>
//       prints that version's CHANGELOG.md section.
//
// Outputs go to $GITHUB_OUTPUT when it is set (a workflow step), and are printed either way.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareSection, releaseNotes } from './release/changelog';
import {
  commonVersion,
  nextVersion,
  tagMoves,
  tagVersion,
  VersionError,
  withVersion,
  type Manifest,
} from './release/versions';

const CHANGELOG = 'CHANGELOG.md';
const LOCKFILE = 'package-lock.json';

interface Lockfile {
  version?: string;
  packages: Record<string, Manifest>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
// npm's own layout: two spaces, a final newline.
const writeJson = (file: string, value: unknown) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** The root and the workspaces, by folder ('' for the root), as package-lock.json lists them. */
function packageFolders(root: string): string[] {
  const lock = readJson<Lockfile>(join(root, LOCKFILE));
  return Object.keys(lock.packages).filter((key) => !key.split('/').includes('node_modules'));
}

function readManifests(root: string): Record<string, Manifest> {
  return Object.fromEntries(
    packageFolders(root).map((folder) => [
      folder ? `${folder}/package.json` : 'package.json',
      readJson<Manifest>(join(root, folder, 'package.json')),
    ]),
  );
}

export interface Prepared {
  version: string;
  notes: string;
}

/** prepare-release.yml's step: the new version everywhere and the CHANGELOG section, written in `root`. */
export function prepareRelease(root: string, request: string, date: string): Prepared {
  const manifests = readManifests(root);
  const version = nextVersion(commonVersion(manifests), request);
  const changelog = prepareSection(readFileSync(join(root, CHANGELOG), 'utf8'), version, date);

  const internal = new Set(Object.values(manifests).flatMap((m) => (m.name ? [m.name] : [])));
  const lock = readJson<Lockfile>(join(root, LOCKFILE));
  for (const folder of packageFolders(root)) {
    const file = join(root, folder, 'package.json');
    writeJson(file, withVersion(readJson<Manifest>(file), version, internal));
    lock.packages[folder] = withVersion(lock.packages[folder], version, internal);
  }
  writeJson(join(root, LOCKFILE), { ...lock, version });
  writeFileSync(join(root, CHANGELOG), changelog);
  return { version, notes: releaseNotes(changelog, version) };
}

export interface Verified extends Prepared {
  majorTag: string;
  moveMajor: boolean;
  latest: boolean;
}

/** release.yml's check of a pushed tag against the files at that tag; `tags` are the repository's tags. */
export function verifyRelease(root: string, tag: string, tags: string[]): Verified {
  const version = tagVersion(tag);
  if (!version) throw new VersionError(`tag "${tag}" is not vX.Y.Z: only release tags such as v1.4.2 are released`);
  const carried = commonVersion(readManifests(root));
  if (carried !== version) {
    throw new VersionError(
      `tag ${tag} is on a commit whose package.json files say ${carried}: tag the merge commit of the release ` +
        `pull request for ${version} (prepare-release.yml)`,
    );
  }
  const notes = releaseNotes(readFileSync(join(root, CHANGELOG), 'utf8'), version);
  return { version, notes, ...tagMoves(version, tags) };
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** Writes step outputs the way the runner reads them (a multi-line value between delimiters), and prints them. */
function setOutputs(outputs: Record<string, string | boolean>): void {
  for (const [name, raw] of Object.entries(outputs)) {
    const value = String(raw);
    if (process.env.GITHUB_OUTPUT) {
      const delimiter = `EOF_${randomUUID()}`;
      appendFileSync(process.env.GITHUB_OUTPUT, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
    }
    console.log(value.includes('\n') ? `${name}:\n${value.replace(/^/gm, '  ')}` : `${name}: ${value}`);
  }
}

function main(argv: string[]): void {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { date: { type: 'string' }, root: { type: 'string' } },
  });
  const root = resolve(values.root ?? join(__dirname, '..'));
  const [command, argument] = positionals;
  if (!argument || !['prepare', 'verify', 'notes'].includes(command)) {
    throw new VersionError('usage: release.ts prepare <major|minor|patch|X.Y.Z> | verify <tag> | notes <X.Y.Z>');
  }
  if (command === 'notes') {
    process.stdout.write(releaseNotes(readFileSync(join(root, CHANGELOG), 'utf8'), argument));
  } else if (command === 'prepare') {
    const date = values.date ?? new Date().toISOString().slice(0, 10);
    setOutputs({ ...prepareRelease(root, argument, date) });
  } else {
    const verified = verifyRelease(root, argument, git(root, 'tag', '--list', 'v*').split('\n'));
    setOutputs({
      version: verified.version,
      commit: git(root, 'rev-parse', `${argument}^{commit}`),
      'major-tag': verified.majorTag,
      'move-major': verified.moveMajor,
      latest: verified.latest,
      notes: verified.notes,
    });
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    // The reason is the whole message: a workflow annotation, no stack.
    const message = (error as Error).message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    console.log(`::error::${message}`);
    process.exitCode = 1;
  }
}
