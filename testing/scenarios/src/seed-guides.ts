/**
 * What each seed system's deployment guide names (shared/seeds/, see its README), transcribed once so the examples
 * and their scenarios are compared with it value by value. Where a guide leaves a name open (Rideshare's task
 * definitions, Aiponge's staging cluster, production values of guides written for staging), the example's README
 * says what it chose, and the value here is that choice: a change on either side still fails the comparison.
 */

export type EnvironmentName = 'staging' | 'production';

export interface ContainerFacts {
  port: number;
  /** The container health check, as registered (CMD-SHELL command). */
  healthCheck: string;
  environment: Record<string, string>;
  /** Secret name → valueFrom (Secrets Manager or SSM Parameter Store ARN). */
  secrets: Record<string, string>;
  logGroup: string;
  logPrefix: string;
}

export interface TaskDefinitionFacts {
  family: string;
  cpu: string;
  memory: string;
  executionRoleArn: string;
  taskRoleArn: string;
  containers: Record<string, ContainerFacts>;
}

export interface EnvironmentFacts {
  /** ECS: the cluster, its services (deployed together), their task families and task count. */
  ecs?: { cluster: string; services: string[]; families: string[]; desiredCount: number };
  /** Snapshotted before migrating: an RDS DB instance or an Aurora DB cluster. */
  database?: { kind: 'instance' | 'cluster'; identifier: string };
  /** CloudFront distributions invalidated after the deploy (ids or aliases, as the workflow names them). */
  distributions?: string[];
  /** Where the frontend build is synced. */
  bucket?: string;
  verifyUrls?: string[];
  /** What the rollback checks afterwards, when it differs from verifyUrls. */
  rollbackVerifyUrls?: string[];
}

export interface ImageFacts {
  container: string;
  repository: string;
  context?: string;
  file?: string;
  'build-args'?: Record<string, string>;
}

/** One event of the deploy workflows and the environments it must deploy, in order. */
export interface TriggerFacts {
  label: string;
  github: { event_name: string; ref: string; ref_name: string };
  inputs?: Record<string, string>;
  environments: EnvironmentName[];
}

export interface SystemFacts {
  region: string;
  /** Empty: the account's ECR registry. */
  registry: '' | 'ghcr.io';
  /** The `github` context the workflows are read with (GHCR image names follow the repository). */
  repository: string;
  /** Secrets the workflows pass on that name resources (not credentials), with the values the scenario seeds. */
  secrets?: Record<string, string>;
  images: ImageFacts[];
  imageTags?: string;
  /** Images built outside deploy.yml with build-push (repository, context). */
  otherBuilds?: { repository: string; context: string }[];
  triggers: TriggerFacts[];
  migration?: { command: string[] } | { sqlDirectory: string };
  environments: Partial<Record<EnvironmentName, EnvironmentFacts>>;
  /** Task definition files of the example, by path. */
  taskDefinitions: Record<string, TaskDefinitionFacts>;
}

const push = (branch: string) => ({ event_name: 'push', ref: `refs/heads/${branch}`, ref_name: branch });
const dispatch = { event_name: 'workflow_dispatch', ref: 'refs/heads/main', ref_name: 'main' };
const secretsManager = (region: string, name: string) => `arn:aws:secretsmanager:${region}:123456789012:secret:${name}`;
const ssmParameter = (name: string) => `arn:aws:ssm:us-east-1:123456789012:parameter/aviation-weather/${name}`;

// ---------------------------------------------------------------- WheelsUp (000_73ac3a54bf9a3f2e.txt)

function wheelsupTaskDefinition(env: 'staging' | 'prod', publicEnvironment: string): TaskDefinitionFacts {
  return {
    family: `wheelsup-web-${env}`,
    cpu: '512',
    memory: '1024',
    executionRoleArn: 'arn:aws:iam::123456789012:role/wheelsup-ecs-execution-role',
    taskRoleArn: 'arn:aws:iam::123456789012:role/wheelsup-ecs-task-role',
    containers: {
      'wheelsup-web': {
        port: 3000,
        healthCheck: 'curl -f http://localhost:3000/api/health || exit 1',
        environment: { NODE_ENV: 'production', NEXT_PUBLIC_ENVIRONMENT: publicEnvironment },
        secrets: {
          DATABASE_URL: secretsManager('us-east-1', `wheelsup/${env}/database-url`),
          OPENSEARCH_URL: secretsManager('us-east-1', `wheelsup/${env}/opensearch-url`),
        },
        logGroup: `/ecs/wheelsup-web-${env}`,
        logPrefix: 'ecs',
      },
    },
  };
}

const wheelsup: SystemFacts = {
  region: 'us-east-1',
  registry: '',
  repository: 'acme/wheelsup',
  images: [{ container: 'wheelsup-web', repository: 'wheelsup-web', context: 'apps/web' }],
  otherBuilds: [{ repository: 'wheelsup-etl', context: 'apps/etl' }],
  triggers: [{ label: 'push to main', github: push('main'), environments: ['staging', 'production'] }],
  migration: { command: ['sh', '-c', 'npm run db:generate && npm run db:push'] },
  environments: {
    staging: {
      ecs: {
        cluster: 'wheelsup-staging',
        services: ['wheelsup-web-service'],
        families: ['wheelsup-web-staging'],
        desiredCount: 2,
      },
      database: { kind: 'cluster', identifier: 'wheelsup-staging-db' },
      distributions: ['E1234567890123'],
      verifyUrls: ['https://api.staging.wheelsup.com/api/meta'],
      rollbackVerifyUrls: ['https://api.staging.wheelsup.com/api/health'],
    },
    production: {
      ecs: {
        cluster: 'wheelsup-prod',
        services: ['wheelsup-web-service'],
        families: ['wheelsup-web-prod'],
        desiredCount: 2,
      },
      database: { kind: 'cluster', identifier: 'wheelsup-prod-db' },
      distributions: ['wheelsup.com'],
      verifyUrls: ['https://api.wheelsup.com/api/meta'],
      rollbackVerifyUrls: ['https://api.wheelsup.com/api/health'],
    },
  },
  taskDefinitions: {
    'task-definition-staging.json': wheelsupTaskDefinition('staging', 'staging'),
    'task-definition-prod.json': wheelsupTaskDefinition('prod', 'production'),
  },
};

// ---------------------------------------------------------------- Flight Schedule Pro (001_7c55c80e497468f2.txt)

const flightSchedulePro: SystemFacts = {
  region: 'us-east-1',
  registry: '',
  repository: 'acme/flight-schedule-pro',
  images: [],
  triggers: [{ label: 'push to main', github: push('main'), environments: ['staging', 'production'] }],
  migration: { sqlDirectory: 'database/migrations' },
  environments: {
    staging: {
      database: { kind: 'instance', identifier: 'flight-schedule-pro-staging' },
      bucket: 's3://flight-schedule-pro-staging-frontend',
      distributions: ['staging.flightschedulepro.com'],
      verifyUrls: ['https://api-staging.flightschedulepro.com/health'],
    },
    production: {
      database: { kind: 'instance', identifier: 'flight-schedule-pro-prod' },
      bucket: 's3://flight-schedule-pro-prod-frontend',
      distributions: ['app.flightschedulepro.com'],
      verifyUrls: ['https://api.flightschedulepro.com/health'],
    },
  },
  taskDefinitions: {},
};

// ---------------------------------------------------------------- Aviation Weather Services (002_ba8d9a65d98c230d.txt)

const aviationLogs = (prefix: string) => ({ logGroup: '/ecs/aviation-weather-services', logPrefix: prefix });

const aviationWeather: SystemFacts = {
  region: 'us-east-1',
  registry: 'ghcr.io',
  repository: 'acme/aviation-weather',
  // The guide's CloudFront distribution has no alias (its origin is aviationweather.app): its id is kept as a secret.
  secrets: { AVIATION_WEATHER_DISTRIBUTION_ID: 'E4AVIATIONWX01' },
  images: [
    { container: 'frontend', repository: 'acme/aviation-weather-frontend', context: 'frontend-react' },
    { container: 'backend', repository: 'acme/aviation-weather-backend', context: 'backend-node' },
    { container: 'nlp', repository: 'acme/aviation-weather-nlp', context: 'backend-python-nlp' },
  ],
  imageTags: '{branch}-{sha7}, {branch}',
  triggers: [
    { label: 'push to main', github: push('main'), environments: ['production'] },
    {
      label: 'pull request',
      github: { event_name: 'pull_request', ref: 'refs/pull/1/merge', ref_name: '1/merge' },
      environments: [],
    },
  ],
  environments: {
    production: {
      ecs: {
        cluster: 'aviation-weather-cluster',
        services: ['aviation-weather-service'],
        families: ['aviation-weather-services'],
        desiredCount: 3,
      },
      distributions: ['E4AVIATIONWX01'],
      verifyUrls: ['https://aviationweather.app/health'],
    },
  },
  taskDefinitions: {
    'ecs-task-definition.json': {
      family: 'aviation-weather-services',
      cpu: '1024',
      memory: '2048',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      taskRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskRole',
      containers: {
        frontend: {
          port: 80,
          healthCheck: 'wget -q --spider http://localhost/health || exit 1',
          environment: {},
          secrets: {},
          ...aviationLogs('frontend'),
        },
        backend: {
          port: 5000,
          healthCheck: 'wget -q --spider http://localhost:5000/api/health || exit 1',
          environment: { NODE_ENV: 'production', PORT: '5000', NLP_SERVICE_URL: 'http://localhost:8000' },
          secrets: { CHECKWX_API_KEY: ssmParameter('checkwx-api-key'), MONGODB_URI: ssmParameter('mongodb-uri') },
          ...aviationLogs('backend'),
        },
        nlp: {
          port: 8000,
          healthCheck: 'curl -f http://localhost:8000/health || exit 1',
          environment: {},
          secrets: { OPENAI_API_KEY: ssmParameter('openai-api-key') },
          ...aviationLogs('nlp'),
        },
      },
    },
  },
};

// ---------------------------------------------------------------- Aiponge (003_f3b272c670f75eed.txt)

const AIPONGE_PORTS: Record<string, number> = {
  'api-gateway': 8080,
  'system-service': 3001,
  'storage-service': 3002,
  'user-service': 3003,
  'ai-config-service': 3004,
  'ai-content-service': 3005,
  'ai-analytics-service': 3006,
  'music-service': 3007,
};
const AIPONGE = Object.keys(AIPONGE_PORTS);
const AIPONGE_API_KEYS: Record<string, string[]> = {
  'ai-config-service': ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'],
  'music-service': ['MUSICAPI_API_KEY', 'ELEVENLABS_API_KEY'],
};

function aipongeTaskDefinition(service: string, environment: EnvironmentName): TaskDefinitionFacts {
  const staging = environment === 'staging';
  const suffix = staging ? '-staging' : '';
  const secret = (name: string) => secretsManager('us-east-1', `aiponge/${staging ? 'staging/' : ''}${name}`);
  const port = AIPONGE_PORTS[service];
  const storage: Record<string, string> =
    service === 'storage-service'
      ? {
          STORAGE_PROVIDER: 's3',
          S3_BUCKET_NAME: staging ? 'aiponge-staging-storage' : 'aiponge-production-storage',
          CDN_DOMAIN: 'https://cdn.aiponge.com',
        }
      : {};
  return {
    family: `aiponge-${service}${suffix}`,
    cpu: staging ? '256' : '512',
    memory: staging ? '512' : '1024',
    executionRoleArn: 'arn:aws:iam::123456789012:role/aiponge-ecs-execution-role',
    taskRoleArn: 'arn:aws:iam::123456789012:role/aiponge-ecs-task-role',
    containers: {
      [service]: {
        port,
        healthCheck: `node -e "fetch('http://localhost:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`,
        environment: { NODE_ENV: staging ? 'staging' : 'production', PORT: String(port), ...storage },
        secrets: {
          DATABASE_URL: secret('database-url'),
          REDIS_URL: secret('redis-url'),
          JWT_SECRET: secret('jwt-secret'),
          INTERNAL_SERVICE_SECRET: secret('internal-service-secret'),
          ENTRY_ENCRYPTION_KEY: secret('entry-encryption-key'),
          ...Object.fromEntries(
            (AIPONGE_API_KEYS[service] ?? []).map((key) => [key, `${secret('api-keys')}:${key}::`]),
          ),
        },
        logGroup: `/ecs/aiponge-${service}${suffix}`,
        logPrefix: 'ecs',
      },
    },
  };
}

const aiponge: SystemFacts = {
  region: 'us-east-1',
  registry: '',
  repository: 'acme/aiponge',
  images: AIPONGE.map((service) => ({
    container: service,
    repository: `aiponge-${service}`,
    file: 'deploy/docker/Dockerfile.service',
    'build-args': { SERVICE_PATH: `packages/services/${service}`, SERVICE_PORT: String(AIPONGE_PORTS[service]) },
  })),
  triggers: [
    { label: 'push to main', github: push('main'), environments: ['staging', 'production'] },
    {
      label: 'gh workflow run -f environment=staging',
      github: dispatch,
      inputs: { environment: 'staging' },
      environments: ['staging'],
    },
    {
      label: 'gh workflow run -f environment=production',
      github: dispatch,
      inputs: { environment: 'production' },
      environments: ['production'],
    },
  ],
  migration: { command: ['npm', 'run', 'db:push'] },
  environments: {
    staging: {
      ecs: {
        cluster: 'aiponge-staging-cluster',
        services: AIPONGE.map((service) => `aiponge-${service}`),
        families: AIPONGE.map((service) => `aiponge-${service}-staging`),
        desiredCount: 2,
      },
      verifyUrls: ['/health', '/health/services', '/ready'].map((path) => `https://api-staging.aiponge.com${path}`),
      rollbackVerifyUrls: ['https://api-staging.aiponge.com/health/services'],
    },
    production: {
      ecs: {
        cluster: 'aiponge-cluster',
        services: AIPONGE.map((service) => `aiponge-${service}`),
        families: AIPONGE.map((service) => `aiponge-${service}`),
        desiredCount: 2,
      },
      database: { kind: 'instance', identifier: 'aiponge-db' },
      verifyUrls: ['/health', '/health/services', '/ready'].map((path) => `https://api.aiponge.com${path}`),
      rollbackVerifyUrls: ['https://api.aiponge.com/health/services'],
    },
  },
  taskDefinitions: Object.fromEntries(
    AIPONGE.flatMap((service) => [
      [`deploy/aws/task-definitions/${service}.json`, aipongeTaskDefinition(service, 'production')],
      [`deploy/aws/task-definitions/staging/${service}.json`, aipongeTaskDefinition(service, 'staging')],
    ]),
  ),
};

// ---------------------------------------------------------------- Rideshare (004_bebe1dc87a2a2610.txt)

function rideshareTaskDefinition(environment: EnvironmentName, suffixes: [string, string]): TaskDefinitionFacts {
  return {
    family: `rideshare-api-${environment}`,
    cpu: '512',
    memory: '1024',
    executionRoleArn: `arn:aws:iam::123456789012:role/rideshare-${environment}-ecs-execution`,
    taskRoleArn: `arn:aws:iam::123456789012:role/rideshare-${environment}-api-task`,
    containers: {
      'rideshare-api': {
        port: 8000,
        healthCheck:
          'python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')" || exit 1',
        environment: { ENVIRONMENT: environment },
        secrets: {
          DATABASE_URL: secretsManager('eu-north-1', `rideshare/${environment}/database-url-${suffixes[0]}`),
          SECRET_KEY: secretsManager('eu-north-1', `rideshare/${environment}/secret-key-${suffixes[1]}`),
        },
        logGroup: `/ecs/rideshare-api-${environment}`,
        logPrefix: 'ecs',
      },
    },
  };
}

const rideshare: SystemFacts = {
  region: 'eu-north-1',
  registry: '',
  repository: 'acme/rideshare',
  secrets: {
    STAGING_CLOUDFRONT_DISTRIBUTION_ID: 'E2RIDESHARESTG',
    PRODUCTION_CLOUDFRONT_DISTRIBUTION_ID: 'E2RIDESHAREPRD',
  },
  images: [{ container: 'rideshare-api', repository: 'rideshare-api' }],
  triggers: [
    { label: 'push to develop', github: push('develop'), environments: ['staging'] },
    { label: 'push to main', github: push('main'), environments: ['production'] },
  ],
  migration: { command: ['python', '-m', 'alembic', 'upgrade', 'head'] },
  environments: {
    staging: {
      ecs: {
        cluster: 'rideshare-staging',
        services: ['rideshare-api-staging'],
        families: ['rideshare-api-staging'],
        desiredCount: 1,
      },
      bucket: 's3://rideshare-staging-frontend',
      distributions: ['E2RIDESHARESTG'],
      verifyUrls: ['https://api-staging.rideshare.example.com/health'],
    },
    production: {
      ecs: {
        cluster: 'rideshare-production',
        services: ['rideshare-api-production'],
        families: ['rideshare-api-production'],
        desiredCount: 3,
      },
      bucket: 's3://rideshare-production-frontend',
      distributions: ['E2RIDESHAREPRD'],
      verifyUrls: ['https://api.rideshare.example.com/health'],
    },
  },
  taskDefinitions: {
    '.aws/task-definition-staging.json': rideshareTaskDefinition('staging', ['Pq4r8S', 'Uv2w6X']),
    '.aws/task-definition-production.json': rideshareTaskDefinition('production', ['Yz1a5B', 'Cd3e7F']),
  },
};

export const GUIDES: Record<string, SystemFacts> = {
  aiponge,
  'aviation-weather': aviationWeather,
  'flight-schedule-pro': flightSchedulePro,
  rideshare,
  wheelsup,
};
