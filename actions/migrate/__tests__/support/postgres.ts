/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary folder, started on a free loopback port, stopped
 * and deleted afterwards. PostgreSQL refuses to run as root, so as root every server command runs as the
 * `postgres` user (Debian's postgresql package creates it) on a folder handed over to it. When the server cannot
 * start, startPostgres throws with the reason and the server's log: tests fail, never skip.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  port: number;
  query<T extends object = Record<string, unknown>>(sql: string): Promise<T[]>;
  stop(): Promise<void>;
}

const SETUP_HINT = "Install the PostgreSQL server (scripts/setup-system.sh installs Debian's postgresql).";

/** The folder with initdb, pg_ctl and postgres: `pg_config --bindir`, else the newest /usr/lib/postgresql/<v>/bin. */
export function findServerBinaries(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config on PATH: look where Debian puts the server.
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debianRoot, version, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl) not found in ${candidates.join(', ') || 'any place'}. ${SETUP_HINT}`,
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error(`Running as root, but there is no "postgres" user to run the server as. ${SETUP_HINT}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a server command, as `postgres` when this process is root; failures carry the command's own output. */
function runServerCommand(bin: string, program: string, args: string[], cwd: string): void {
  const executable = join(bin, program);
  const [file, argv] =
    userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', executable, ...args]] : [executable, args];
  try {
    execFileSync(file, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${program} failed: ${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findServerBinaries();
  const home = mkdtempSync(join(tmpdir(), 'migrate-postgres-'));
  const dataDir = join(home, 'data');
  const logFile = join(home, 'server.log');
  if (userInfo().uid === 0) {
    const { uid, gid } = postgresUser();
    chownSync(home, uid, gid);
  }
  const port = await freePort();
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${home} -c fsync=off -c full_page_writes=off`;
  let started = false;
  try {
    runServerCommand(
      bin,
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      home,
    );
    runServerCommand(
      bin,
      'pg_ctl',
      ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start'],
      home,
    );
    started = true;
  } catch (error) {
    const log =
      existsSync(logFile) && statSync(logFile).size > 0 ? `\nServer log:\n${readFileSync(logFile, 'utf8')}` : '';
    rmSync(home, { recursive: true, force: true });
    throw new Error(`Could not start a test PostgreSQL server: ${(error as Error).message}${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async query<T extends object>(sql: string): Promise<T[]> {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async stop() {
      try {
        if (started) runServerCommand(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], home);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}
