import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { SECRET_CORPUS } from '@shipyard/testkit/secret-corpus';
import {
  describeCommand,
  fingerprint,
  hiddenValue,
  isSecretReference,
  redactCredentials,
  shownEnvValue,
} from '../src/redact';

const HIDDEN = /^\(hidden #[0-9a-f]{8}\)$/;
const SEPARATORS = [' ', '\n', '\t', '"', "'", '`', '(', ')', ',', ';', ':', '=', '<', '>', '|'];
const around = fc.record({
  before: fc.string({ maxLength: 40 }),
  opening: fc.constantFrom(...SEPARATORS),
  closing: fc.constantFrom(...SEPARATORS),
  after: fc.string({ maxLength: 40 }),
});
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

describe('redactCredentials', () => {
  test.each(SECRET_CORPUS.map((s) => [s.name, s] as const))('%s: redacted on its own line', (_, sample) => {
    expect(redactCredentials(sample.value)).not.toContain(sample.secret);
    expect(redactCredentials(sample.value)).toContain('[redacted]');
  });

  test('every shape is redacted whatever text surrounds it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_CORPUS), around, (sample, { before, opening, closing, after }) => {
        const text = `${before}${opening}${sample.value}${closing}${after}`;
        expect(redactCredentials(text)).not.toContain(sample.secret);
      }),
    );
  });

  test('every shape is redacted as the value of a JSON field and of a KEY=value line', () => {
    for (const sample of SECRET_CORPUS) {
      expect(redactCredentials(JSON.stringify({ value: sample.value }))).not.toContain(sample.secret);
      expect(redactCredentials(`${sample.name}=${sample.value}`)).not.toContain(sample.secret);
    }
  });

  test('is idempotent', () => {
    const texts = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.constantFrom(...SECRET_CORPUS), around)
        .map(([s, a]) => `${a.before}${a.opening}${s.value}${a.after}`),
    );
    fc.assert(fc.property(texts, (text) => redactCredentials(redactCredentials(text)) === redactCredentials(text)));
  });

  test('leaves what Shipyard prints about AWS and git alone: ARNs, SHAs, digests, console URLs', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,40}$/);
    const printed = fc.oneof(
      fc
        .tuple(name, fc.nat())
        .map(([family, n]) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${n}`),
      fc
        .tuple(name, name)
        .map(
          ([cluster, service]) =>
            `https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/${cluster}/services/${service}/deployments?region=eu-west-1`,
        ),
      hex(40).map((sha) => `commit ${sha}`),
      hex(64).map((digest) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:${digest}`),
      name.map((secret) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secret}`),
    );
    fc.assert(fc.property(printed, (text) => redactCredentials(text) === text));
  });

  test('keeps the parts of a URL that are not user-info, and words that only look like schemes', () => {
    expect(redactCredentials('postgres://app:pw@db:5432/app?sslmode=require')).toBe(
      'postgres://[redacted]@db:5432/app?sslmode=require',
    );
    expect(redactCredentials('https://example.com/users/@me?page=2')).toBe('https://example.com/users/@me?page=2');
    expect(redactCredentials('Basic authentication is off; Bearer tokens expire')).toBe(
      'Basic authentication is off; Bearer tokens expire',
    );
    expect(
      redactCredentials(
        '--secret id=npm_token,env=SHIPYARD_BUILD_SECRET_0 --label org.opencontainers.image.authors=me',
      ),
    ).toBe('--secret id=npm_token,env=SHIPYARD_BUILD_SECRET_0 --label org.opencontainers.image.authors=me');
  });

  test('redacts a PEM key across lines, and one cut short', () => {
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\nAoGBAMx\n-----END EC PRIVATE KEY-----';
    expect(redactCredentials(`key:\n${key}\nnext line`)).toBe('key:\n[redacted]\nnext line');
    expect(redactCredentials('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkt')).toBe('[redacted]');
  });
});

describe('fingerprints', () => {
  test('tell values apart, repeat for the same value, and differ between purposes', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(fingerprint(a, 'env')).toMatch(/^[0-9a-f]{8}$/);
        expect(fingerprint(a, 'env')).toBe(fingerprint(a, 'env'));
        if (a !== b) expect(fingerprint(a, 'env')).not.toBe(fingerprint(b, 'env'));
        expect(fingerprint(a, 'env')).not.toBe(fingerprint(a, 'build-arg'));
      }),
    );
  });

  test('are keyed per run: not the plain sha256 of the value, so a short value cannot be looked up', () => {
    for (const value of ['true', '8080', '1234']) {
      expect(fingerprint(value, 'env')).not.toBe(createHash('sha256').update(value).digest('hex').slice(0, 8));
      expect(fingerprint(value, 'env')).not.toBe(
        createHash('sha256').update(`env\0${value}`).digest('hex').slice(0, 8),
      );
    }
  });
});

describe('shownEnvValue', () => {
  const reference = fc.stringMatching(/^arn:aws:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:[a-z]+[:/][A-Za-z0-9/_-]+$/);
  const plain = fc.string().filter((value) => !isSecretReference(value));

  test('hides every value by default', () => {
    fc.assert(fc.property(fc.string(), plain, (name, value) => HIDDEN.test(shownEnvValue(name, value, false))));
  });

  test('shows Secrets Manager and SSM references, opted in or not', () => {
    fc.assert(
      fc.property(reference, fc.boolean(), (value, show) => shownEnvValue('DB', value, show) === JSON.stringify(value)),
    );
  });

  test('opted in: plain values with credential shapes redacted; credential-named variables stay hidden', () => {
    expect(shownEnvValue('LOG_LEVEL', 'debug', true)).toBe('"debug"');
    for (const sample of SECRET_CORPUS) expect(shownEnvValue('VALUE', sample.value, true)).not.toContain(sample.secret);
    expect(shownEnvValue('STRIPE_API_KEY', 'anything', true)).toBe(hiddenValue('anything', 'env'));
    expect(shownEnvValue('DB_PASSWORD', 'anything', true)).toMatch(HIDDEN);
  });
});

describe('describeCommand', () => {
  test('shows the program, and the arguments only as a count and a fingerprint', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{1,10}$/),
        fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
        (program, args) => {
          const shown = describeCommand([program, ...args]);
          const count = `${args.length} argument${args.length === 1 ? '' : 's'}`;
          expect(shown).toMatch(new RegExp(`^"${program}" with ${count} \\(hidden #[0-9a-f]{8}\\)$`));
        },
      ),
    );
    expect(describeCommand(['migrate'])).toBe('"migrate"');
  });
});
