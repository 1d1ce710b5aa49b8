// Credential shapes as they turn up in workflows: realistic-looking, all fake. Each entry is the whole value a user
// would put in a field; `secret` is the part that must never be printed (for a URL, its password or key, not the
// host). Used by the redactor's unit tests and by the e2e tests that push every shape through every printed field.

export interface SecretSample {
  /** Also usable as an environment variable or build-arg name. */
  name: string;
  value: string;
  /** What must not appear in any log line, annotation, summary or output. */
  secret: string;
}

const sample = (name: string, value: string, secret = value): SecretSample => ({ name, value, secret });

const PEM_BODY =
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0' +
  '/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW';

export const SECRET_CORPUS: SecretSample[] = [
  sample('AWS_ACCESS_KEY_ID', 'AKIAQ3EGRXLTWZ7KFM2B'),
  sample('AWS_SESSION_KEY_ID', 'ASIAZ4VJ7NQ2LXKD9P3M'),
  sample('AWS_SECRET', 'Zq7Lm2Vn9Kx4Bc8Rt1Wy6Hs3Jd5/Pa0Ue2Io4Fg7'),
  sample('GH_PAT', 'ghp_R8x2Lq7Vn4Kt9Wz1Yb6Hc3Jd5Mf0Ps2Ga7Ue'),
  sample('GH_OAUTH', 'gho_Z1y2X3w4V5u6T7s8R9q0P1o2N3m4L5k6J7i8'),
  sample('GH_APP_USER', 'ghu_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5'),
  sample('GH_APP_INSTALL', 'ghs_Mn8Bv6Cx4Za2Lk0Jh8Gf6Ds4Aq2Wp0Oe9Ir7'),
  sample('GH_REFRESH', 'ghr_Tz5Yx7Wv9Ut1Sr3Qp5On7Ml9Kj1Ih3Gf5Ed7Cb9Aa1Zy3Xw5Vu7St9Rq1Po3Nm5Lk7Ji9Hg1Fe3'),
  sample('GH_FINE', 'github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234'),
  sample(
    'SESSION_JWT',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzAwMDAwMDAwfQ.' +
      'Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkxMjM0NTY',
  ),
  sample('TLS_KEY', `-----BEGIN RSA PRIVATE KEY-----${PEM_BODY}-----END RSA PRIVATE KEY-----`, PEM_BODY),
  sample('SLACK_BOT', 'xoxb-2048213911-4851208375623-Zq8Kx3Lm7Nv2Bw5Yc9Rt1Hd'),
  sample(
    'SLACK_WEBHOOK',
    'https://hooks.slack.com/services/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',
    'Xy7Kq2Lm9Vn4Bc8Zr1Tw6Hs3',
  ),
  sample('STRIPE_LIVE', 'sk_live_51Nx8ZqKb2Lm7Vc4Tr9Yw3Hd6Jp1Fs0Ga5Ue8Io2'),
  sample('STRIPE_RESTRICTED', 'rk_live_51Nx8ZqKb2Lm7Vc4Tr9Yw3Hd6Jp1Fs0Ga5Ue8Io3'),
  sample('STRIPE_TEST', 'sk_test_4eC39HqLyjWDarjtT1zdp7dcQm2Xv8Rb'),
  sample('DATABASE_URL', 'postgres://app:Pg7-k2Rz9xQwLm4@db.internal.example.com:5432/app', 'Pg7-k2Rz9xQwLm4'),
  sample(
    'SENTRY_DSN',
    'https://8f3c2a1b9d7e4f60a5b8c7d6e5f4a3b2@o123456.ingest.sentry.io/4506789',
    '8f3c2a1b9d7e4f60a5b8c7d6e5f4a3b2',
  ),
  sample('REDIS_URL', 'redis://:Rd5-Vq8Lp2Xz7Kw@cache.internal:6379/0', 'Rd5-Vq8Lp2Xz7Kw'),
  sample('DB_CONNECTION', 'host=db.internal user=app password=Kq9-Zx4Lm7Vb2Nc dbname=app', 'Kq9-Zx4Lm7Vb2Nc'),
  sample('FEED_URL', 'https://feeds.example.com/v1/orders?format=json&token=Tk3Lq8Zx5Vm2Wb7Nc', 'Tk3Lq8Zx5Vm2Wb7Nc'),
  sample('UPSTREAM_AUTH', 'Authorization: Bearer Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1', 'Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1'),
  sample('PROXY_HEADER', 'Basic YWRtaW46UzNjcjN0LVBhc3N3MHJk', 'YWRtaW46UzNjcjN0LVBhc3N3MHJk'),
  sample('GOOGLE_KEY', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'),
  sample('NPM_AUTH', 'npm_Fh7Kq2Lm9Vn4Bc8Zr1Tw6Hs3Jd5Xy0Pa2Ue4'),
  sample('GITLAB', 'glpat-Zx8Kq2Lm9Vn4Bc8Zr1Tw'),
  sample('SENDGRID', 'SG.Kq8Zx2Lm9Vn4Bc8Zr1Tw6.Hs3Jd5Xy0Pa2Ue4Io6Rt8Yu0Iq2We4Rt6Yu8Io0Pa2S'),
  sample('OPENAI', 'sk-proj-Kq8Zx2Lm9Vn4Bc8Zr1Tw6Hs3Jd5Xy0Pa2'),
  sample(
    'AZURE_STORAGE',
    'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Az9Kq2Lm7Vn4Bc8Zr1Tw6Hs3Jd5==',
    'Az9Kq2Lm7Vn4Bc8Zr1Tw6Hs3Jd5==',
  ),
];

/** What a step made public: its log (annotations included) and summary unmasked, and its outputs. */
interface PrintedStep {
  rawLog: string;
  rawSummary: string;
  outputs: Record<string, string>;
  post?: PrintedStep;
}

/**
 * The names of the samples whose secret a run printed anywhere (main and post): log lines, annotations, job
 * summary, outputs. Registering a mask (`::add-mask::`) is not printing.
 */
export function leakedSecrets(run: PrintedStep, samples: SecretSample[] = SECRET_CORPUS): string[] {
  const steps = run.post ? [run, run.post] : [run];
  const printed = steps
    .flatMap((step) => [
      ...step.rawLog.split('\n').filter((line) => !line.startsWith('::add-mask::')),
      step.rawSummary,
      ...Object.values(step.outputs),
    ])
    .join('\n');
  return samples.filter((sample) => printed.includes(sample.secret)).map((sample) => sample.name);
}
