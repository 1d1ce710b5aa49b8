// Checks the inputs of the reusable deploy.yml and pr-checks.yml once, in their first job, and turns them into the
// step outputs the other jobs read: matrices, per-environment values, paths inside the `app/` checkout, the tags and
// build arguments of each image, the frontend build and its buckets. It runs on the runner's own Node before any AWS
// call, so a mistake costs seconds, not a half-finished deploy.
// Inputs arrive as environment variables (never spliced into a script); outputs go to $GITHUB_OUTPUT.
// Usage: node .github/scripts/workflow-inputs.mjs   (see docs/reusable-workflows.md for the variables)
import { createHash } from 'node:crypto';
import { writeOutputs } from './step-outputs.mjs';

const KNOWN_ENVIRONMENTS = ['staging', 'production'];
/** Jobs that run Shipyard actions check Shipyard out at the workspace root and the application here. */
const APP_DIR = 'app';
const MAX_IMAGES = 20;
// ECS container names: up to 255 letters, digits, hyphens and underscores.
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
// ECR and the distribution spec both want lower-case path components joined by separators.
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._/-]+[a-z0-9]+)*$/;
const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
const GHCR_HOST = 'ghcr.io';
// Dockerfile ARG names.
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// S3 bucket names (3–63 lower-case letters, digits, dots and hyphens), optionally `s3://` and a key prefix.
const BUCKET = /^(?:s3:\/\/)?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[^\s]*)?$/;
const TAG_PLACEHOLDER = /\{([^{}]*)\}/g;

class InputError extends Error {}

const quote = (value) => JSON.stringify(value);

/** Comma- or newline-separated values, blanks dropped (the same rule as the actions' list inputs). */
function list(raw) {
  return (raw ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseEnvironments(raw) {
  const chosen = list(raw).map((name) => name.toLowerCase());
  if (chosen.length === 0) {
    throw new InputError(`"environments" must name staging, production or both, got ${quote(raw ?? '')}.`);
  }
  for (const name of chosen) {
    if (!KNOWN_ENVIRONMENTS.includes(name)) {
      throw new InputError(`"environments" lists ${quote(name)}; it may list ${KNOWN_ENVIRONMENTS.join(' and ')}.`);
    }
  }
  return KNOWN_ENVIRONMENTS.filter((name) => chosen.includes(name));
}

/** A path relative to the application repository: no leading `./`, no trailing `/`, never climbing out of it. */
function repositoryPath(input, value) {
  if (value.startsWith('/') || value.split('/').includes('..')) {
    throw new InputError(`${input} must be a path inside your repository, got ${quote(value)}.`);
  }
  const trimmed = value.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

/** The same path inside the `app/` checkout of the jobs that run Shipyard actions. */
function appPath(input, value) {
  const relative = repositoryPath(input, value);
  return relative === '' ? APP_DIR : `${APP_DIR}/${relative}`;
}

function optionalString(entry, field, index) {
  const value = entry[field];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new InputError(`"images"[${index}].${field} must be a string.`);
  return value.trim();
}

/** `{"SERVICE_PATH": "packages/services/api", "SERVICE_PORT": 8080}` → build-push's `KEY=value` lines. */
function buildArgs(entry, index) {
  const args = entry['build-args'];
  if (args === undefined) return '';
  const field = `"images"[${index}]["build-args"]`;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new InputError(`${field} must be an object of build arguments, e.g. {"SERVICE_PORT": "8080"}.`);
  }
  return Object.entries(args)
    .map(([name, value]) => {
      if (!BUILD_ARG_NAME.test(name)) throw new InputError(`${field} has an invalid name ${quote(name)}.`);
      if (!['string', 'number'].includes(typeof value) || /[\r\n]/.test(String(value))) {
        throw new InputError(`${field}.${name} must be a one-line string or a number.`);
      }
      return `${name}=${value}`;
    })
    .join('\n');
}

function parseImages(raw, artifactPrefix) {
  let images;
  try {
    images = JSON.parse(raw ?? '');
  } catch {
    throw new InputError(
      `"images" must be a JSON list such as [{"container": "web", "repository": "my-app"}], got ${quote(raw ?? '')}.`,
    );
  }
  if (!Array.isArray(images) || images.length > MAX_IMAGES) {
    throw new InputError(`"images" must be a JSON list of 0 to ${MAX_IMAGES} images.`);
  }
  const seen = new Set();
  return images.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InputError(`"images"[${index}] must be an object with "container" and "repository".`);
    }
    const container = optionalString(entry, 'container', index);
    const repository = optionalString(entry, 'repository', index);
    if (!CONTAINER_NAME.test(container)) {
      throw new InputError(
        `"images"[${index}].container must be the ECS container name (letters, digits, - and _), got ${quote(container)}.`,
      );
    }
    if (!REPOSITORY_NAME.test(repository)) {
      throw new InputError(
        `"images"[${index}].repository must be a lower-case repository name without the registry host, got ` +
          `${quote(repository)}.`,
      );
    }
    if (seen.has(container)) throw new InputError(`"images" lists the container ${quote(container)} twice.`);
    seen.add(container);
    const file = optionalString(entry, 'file', index);
    return {
      container,
      repository,
      context: appPath(`"images"[${index}].context`, optionalString(entry, 'context', index) || '.'),
      file: file && appPath(`"images"[${index}].file`, file),
      target: optionalString(entry, 'target', index),
      'build-args': buildArgs(entry, index),
      artifact: `${artifactPrefix}${container}`,
    };
  });
}

/** A branch name as a Docker tag (the rule build-push applies to its own branch tag). */
function branchTag(name) {
  return name
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
    .replace(/[.-]+$/, '');
}

/** Extra tags for every image, `{branch}`, `{sha}` and `{sha7}` filled in from the commit being deployed. */
function imageTags(raw, env) {
  const sha = env.GITHUB_SHA ?? '';
  const values = { branch: branchTag(env.GITHUB_REF_NAME ?? ''), sha, sha7: sha.slice(0, 7) };
  return list(raw)
    .map((template) =>
      template.replace(TAG_PLACEHOLDER, (_, name) => {
        if (!(name in values)) {
          throw new InputError(`"image-tags" has ${quote(`{${name}}`)}; it may use {branch}, {sha} and {sha7}.`);
        }
        if (values[name] === '') throw new InputError(`"image-tags" uses {${name}}, which is empty for this run.`);
        return values[name];
      }),
    )
    .join('\n');
}

function parseMigrationCommand(raw, images) {
  const value = (raw ?? '').trim();
  if (value === '') return '';
  let command;
  try {
    command = JSON.parse(value);
  } catch {
    command = undefined;
  }
  if (!Array.isArray(command) || command.length === 0 || command.some((item) => typeof item !== 'string')) {
    throw new InputError(
      `"migration-command" must be a JSON list of strings such as ["npm","run","db:push"], got ${quote(value)}.`,
    );
  }
  if (images.length === 0) {
    throw new InputError('"migration-command" runs in the new task definition, so "images" must list its image.');
  }
  return JSON.stringify(command);
}

/** The ECS settings of one environment: all required once it is selected and images are deployed. */
function parseTarget(environment, env, deploying) {
  const prefix = environment.toUpperCase();
  const cluster = (env[`${prefix}_CLUSTER`] ?? '').trim();
  const services = list(env[`${prefix}_SERVICES`]);
  const taskDefinition = (env[`${prefix}_TASK_DEFINITION`] ?? '').trim();
  const settings = [
    ['cluster', cluster !== ''],
    ['services', services.length > 0],
    ['task-definition', taskDefinition !== ''],
  ];
  if (!deploying) {
    const given = settings.find(([, isGiven]) => isGiven);
    if (given) {
      throw new InputError(`"${environment}-${given[0]}" is set, but "images" is empty: there is nothing to deploy.`);
    }
    return undefined;
  }
  const missing = settings.find(([, isGiven]) => !isGiven);
  if (missing) {
    throw new InputError(`"${environment}-${missing[0]}" is required because "environments" includes ${environment}.`);
  }
  return {
    environment,
    cluster,
    services: services.join('\n'),
    // `current`: each service's own task definition; anything else is a file in the application checkout.
    'task-definition':
      taskDefinition === 'current' ? 'current' : appPath(`"${environment}-task-definition"`, taskDefinition),
    // Migrations run in the new task definition of the first service listed, with its network configuration.
    'migration-service': services[0],
  };
}

/** Plain SQL files applied on the runner with a ledger (migrate's sql-directory), instead of a migration command. */
function parseSqlMigrations(env, migrationCommand) {
  const directory = (env.SQL_MIGRATIONS_DIRECTORY ?? '').trim();
  const dependent = [
    ['sql-ledger-table', env.SQL_LEDGER_TABLE],
    ['staging-sql-baseline', env.STAGING_SQL_BASELINE],
    ['production-sql-baseline', env.PRODUCTION_SQL_BASELINE],
  ].find(([, value]) => (value ?? '').trim() !== '');
  if (directory === '') {
    if (dependent) throw new InputError(`"${dependent[0]}" needs "sql-migrations-directory".`);
    return '';
  }
  if (migrationCommand !== '') {
    throw new InputError(
      '"sql-migrations-directory" and "migration-command" are both set: give one way to migrate (the SQL files run ' +
        'on the runner, the command in a one-off ECS task).',
    );
  }
  return appPath('"sql-migrations-directory"', directory);
}

/** An instance or a cluster is snapshotted before migrating, never both (migrate refuses that too, but later). */
function checkSnapshot(environment, env) {
  const prefix = environment.toUpperCase();
  const instance = (env[`${prefix}_SNAPSHOT_DB_INSTANCE`] ?? '').trim();
  const cluster = (env[`${prefix}_SNAPSHOT_DB_CLUSTER`] ?? '').trim();
  if (instance && cluster) {
    throw new InputError(
      `"${environment}-snapshot-db-instance" and "${environment}-snapshot-db-cluster" are both set: an Aurora or ` +
        'Multi-AZ DB cluster is snapshotted as a cluster, any other database as an instance; give one.',
    );
  }
}

function migrationContainer(raw, images, migrating) {
  const value = (raw ?? '').trim();
  if (value !== '' || !migrating) return value;
  if (images.length === 1) return images[0].container;
  throw new InputError(
    `"migration-container" is required with "migration-command" when "images" lists ${images.length} containers.`,
  );
}

/** `s3://bucket[/prefix]` for `aws s3 sync`, from a bucket name or an S3 URL. */
function bucketUrl(environment, raw) {
  const value = (raw ?? '').trim();
  if (value === '') return '';
  const match = BUCKET.exec(value);
  if (!match || match[1].includes('..')) {
    throw new InputError(
      `"${environment}-frontend-bucket" must be an S3 bucket name or s3://bucket/prefix, got ${quote(value)}.`,
    );
  }
  return `s3://${match[1]}${(match[2] ?? '').replace(/\/+$/, '')}`;
}

/** The frontend built once (outputs shared by every environment) and where each environment uploads it. */
function parseFrontend(env, environments) {
  const command = (env.FRONTEND_BUILD_COMMAND ?? '').trim();
  const directory = (env.FRONTEND_DIRECTORY ?? '').trim();
  const buckets = Object.fromEntries(
    KNOWN_ENVIRONMENTS.map((name) => [name, bucketUrl(name, env[`${name.toUpperCase()}_FRONTEND_BUCKET`])]),
  );
  if ((command === '') !== (directory === '')) {
    throw new InputError(
      `"frontend-build-command" and "frontend-directory" go together: the command builds, the directory is uploaded.`,
    );
  }
  for (const name of environments) {
    if (buckets[name] && !command) {
      throw new InputError(`"${name}-frontend-bucket" needs "frontend-build-command" and "frontend-directory".`);
    }
  }
  const built = command !== '' && environments.some((name) => buckets[name] !== '');
  if (command !== '' && !built) {
    throw new InputError(
      `"frontend-build-command" is set, but no selected environment has a "<environment>-frontend-bucket".`,
    );
  }
  return {
    frontend: String(built),
    'frontend-directory': built ? repositoryPath('"frontend-directory"', directory) || '.' : '',
    'frontend-artifact': built
      ? `shipyard-frontend-${createHash('sha256')
          .update(`${directory}\n${env.IMAGES ?? ''}`)
          .digest('hex')
          .slice(0, 12)}`
      : '',
    ...Object.fromEntries(
      KNOWN_ENVIRONMENTS.map((name) => [`${name}-frontend-bucket`, environments.includes(name) ? buckets[name] : '']),
    ),
  };
}

/** Every output the workflows read, from the environment variables the first job passes in. */
function plan(env) {
  const environments = parseEnvironments(env.ENVIRONMENTS);
  // Unique per set of images, so two calls of deploy.yml in one run never pick up each other's artifacts.
  const artifactPrefix = `shipyard-${createHash('sha256')
    .update(env.IMAGES ?? '')
    .digest('hex')
    .slice(0, 12)}-`;
  const images = parseImages(env.IMAGES, artifactPrefix);
  const deploying = images.length > 0;
  const migrationCommand = parseMigrationCommand(env.MIGRATION_COMMAND, images);
  const targets = environments.map((environment) => parseTarget(environment, env, deploying)).filter(Boolean);
  environments.forEach((environment) => checkSnapshot(environment, env));
  const registry = (env.REGISTRY ?? '').trim().toLowerCase();
  const ecr = registry === '' || ECR_HOST.test(registry);
  const staging = environments.includes('staging');
  const production = environments.includes('production');
  const sha = env.GITHUB_SHA ?? '';
  const outputs = {
    staging: String(staging),
    production: String(production),
    targets: JSON.stringify(targets),
    images: JSON.stringify(images),
    build: String(deploying),
    'artifact-prefix': artifactPrefix,
    ecr: String(ecr),
    ghcr: String(registry === GHCR_HOST),
    // The build carries the tag of the first environment it goes to; production gets its own tag by promotion
    // (ECR) only when the same digest went through staging first.
    'build-environment': staging ? 'staging' : 'production',
    promote: String(deploying && ecr && staging && production),
    'image-tags': imageTags(env.IMAGE_TAGS, env),
    'migration-command': migrationCommand,
    'sql-directory': parseSqlMigrations(env, migrationCommand),
    'migration-container': migrationContainer(env.MIGRATION_CONTAINER, images, migrationCommand !== ''),
    // What the plan renders in place of images that are only built on merge: on the registry given (ECR's host
    // needs the account, which a pull request's plan may not have: the repository alone then).
    'plan-images': images
      .map(
        (image) => `${image.container}=${registry ? `${registry}/` : ''}${image.repository}:${sha || 'pull-request'}`,
      )
      .join('\n'),
    ...parseFrontend(env, environments),
  };
  for (const target of targets) {
    outputs[`${target.environment}-task-definition`] = target['task-definition'];
    outputs[`${target.environment}-migration-service`] = target['migration-service'];
  }
  return outputs;
}

function main() {
  try {
    writeOutputs(plan(process.env));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.log(`::error title=Shipyard inputs::${error.message}`);
    process.exitCode = 1;
  }
}

main();
