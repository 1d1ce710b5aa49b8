// Stands in for the AWS CLI's `aws s3 sync <dir> s3://<bucket>[/prefix] [--delete]` (aws-sim has no S3): mirrors the
// folder into $AWS_CLI_STAND_IN_S3/<bucket>/<prefix> and prints the CLI's `upload:` / `delete:` lines. Each call is
// recorded as a JSON line in $AWS_CLI_STAND_IN_LOG. Any other command fails, naming what is available.
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const argv = process.argv.slice(2);
appendFileSync(process.env.AWS_CLI_STAND_IN_LOG, `${JSON.stringify({ argv })}\n`);
const [service, command, source, target, ...flags] = argv;
const url = /^s3:\/\/([^/]+)(\/.*)?$/.exec(target ?? '');
if (service !== 's3' || command !== 'sync' || !source || !url || !existsSync(source)) {
  console.error(
    `aws (stand-in): only \`aws s3 sync <dir> s3://<bucket>\` is available here, got: aws ${argv.join(' ')}`,
  );
  process.exit(252);
}
const files = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
const into = join(process.env.AWS_CLI_STAND_IN_S3, url[1], url[2] ?? '');
mkdirSync(into, { recursive: true });
const uploaded = new Set(files(source));
for (const file of uploaded) console.log(`upload: ${join(source, file)} to ${target.replace(/\/$/, '')}/${file}`);
if (flags.includes('--delete')) {
  for (const file of files(into).filter((f) => !uploaded.has(f))) {
    rmSync(join(into, file));
    console.log(`delete: ${target.replace(/\/$/, '')}/${relative(into, join(into, file))}`);
  }
}
cpSync(source, into, { recursive: true });
