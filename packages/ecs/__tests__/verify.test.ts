import { PollCancelledError, fakeClock } from '@shipyard/platform/poll';
import {
  checkResponse,
  describeExpectation,
  parseBodyExpectation,
  parseStatusExpectation,
  parseUrls,
  verifyUrls,
  type HttpExpectation,
} from '../src/verify';

describe('parseStatusExpectation', () => {
  test.each([
    ['', { codes: [200], classes: [] }],
    ['200', { codes: [200], classes: [] }],
    ['200, 204', { codes: [200, 204], classes: [] }],
    ['2xx', { codes: [], classes: [2] }],
    ['2XX,301', { codes: [301], classes: [2] }],
  ])('%j → %j', (raw, expected) => {
    expect(parseStatusExpectation('verify-status', raw)).toEqual(expected);
  });

  test.each([
    ['ok', '"ok"'],
    ['200,abc', '"abc"'],
    ['600', '"600"'],
    ['20', '"20"'],
  ])('rejects %j', (raw, bad) => {
    expect(() => parseStatusExpectation('verify-status', raw)).toThrow(
      `Input "verify-status" must list HTTP statuses such as 200, "200,204" or 2xx, got ${JSON.stringify(raw)} (${bad} is not one).`,
    );
  });
});

describe('parseBodyExpectation', () => {
  test.each([
    ['', undefined],
    ['ok', { kind: 'contains', text: 'ok' }],
    ['"status":"up"', { kind: 'contains', text: '"status":"up"' }],
    ['$.version == 1.4.2', { kind: 'json-path', path: '$.version', segments: ['version'], expected: '1.4.2' }],
    [
      '$.checks[0].ok==true',
      { kind: 'json-path', path: '$.checks[0].ok', segments: ['checks', 0, 'ok'], expected: 'true' },
    ],
    [
      '$["build-info"].tag == "v2"',
      { kind: 'json-path', path: '$["build-info"].tag', segments: ['build-info', 'tag'], expected: '"v2"' },
    ],
  ])('%j', (raw, expected) => {
    expect(parseBodyExpectation('verify-body', raw)).toEqual(expected);
  });

  test.each(['$.version', '$.version ==', '$version == 1', '$.a..b == 1'])('rejects %j', (raw) => {
    expect(() => parseBodyExpectation('verify-body', raw)).toThrow(
      `Input "verify-body" starts with $ but is not a JSON path check such as $.version == 1.4.2 or $.checks[0].ok == true, got ${JSON.stringify(raw)}. (Use a value not starting with $ to look for a substring.)`,
    );
  });
});

describe('parseUrls', () => {
  test('accepts http and https URLs', () => {
    expect(parseUrls('verify-url', ['https://app.example.com/health', 'http://127.0.0.1:8080/'])).toHaveLength(2);
  });
  // The URL parser drops a tab and escapes other control characters: such a URL was accepted before.
  test.each([
    'app.example.com/health',
    'ftp://example.com',
    '/health',
    'https://a.example/\u0007x',
    'https://a\tb.example/',
  ])('rejects %j', (url) => {
    expect(() => parseUrls('verify-url', [url])).toThrow(
      `Input "verify-url" must list absolute http(s) URLs of at most 2048 printable characters, got ${JSON.stringify(url)}.`,
    );
  });
});

describe('checkResponse', () => {
  const ok: HttpExpectation = { status: { codes: [200], classes: [] } };
  const jsonVersion = (expected: string): HttpExpectation => ({
    status: { codes: [], classes: [2] },
    body: { kind: 'json-path', path: '$.version', segments: ['version'], expected },
  });

  test.each([
    [ok, 200, 'anything', { ok: true }],
    [ok, 503, '', { ok: false, reason: 'HTTP 503, expected 200' }],
    [
      { ...ok, body: { kind: 'contains', text: 'v2' } } as HttpExpectation,
      200,
      '{"version":"v1"}',
      { ok: false, reason: 'body "{\\"version\\":\\"v1\\"}" does not contain "v2"' },
    ],
    [jsonVersion('v2'), 200, '{"version":"v2"}', { ok: true }],
    [jsonVersion('"v2"'), 204, '{"version":"v2"}', { ok: true }],
    [jsonVersion('3'), 200, '{"version":3}', { ok: true }],
    [jsonVersion('3'), 200, '{"version":"3"}', { ok: true }],
    [jsonVersion('v2'), 200, '{"version":"v1"}', { ok: false, reason: '$.version is "v1", expected v2' }],
    [jsonVersion('v2'), 200, '{"name":"web"}', { ok: false, reason: '$.version is missing from the body' }],
    [jsonVersion('v2'), 200, '<html>', { ok: false, reason: 'body "<html>" is not JSON, so $.version cannot be read' }],
  ])('%#', (expectation, status, body, outcome) => {
    expect(checkResponse(status, body, expectation)).toEqual(outcome);
  });

  test('describes expectations in words', () => {
    expect(describeExpectation(jsonVersion('v2'))).toBe('HTTP 2xx with $.version == v2');
  });
});

describe('verifyUrls', () => {
  const expectation: HttpExpectation = { status: { codes: [200], classes: [] } };
  const responder = (statuses: number[]) => {
    let call = 0;
    return jest.fn(async () => new Response('ok', { status: statuses[Math.min(call++, statuses.length - 1)] }));
  };

  test('passes after N healthy rounds in a row, a failure resetting the count', async () => {
    const clock = fakeClock();
    const fetch = responder([200, 500, 200, 200, 200]);
    const result = await verifyUrls({
      urls: ['http://app/health'],
      expectation,
      successes: 3,
      intervalMs: 1000,
      timeoutMs: 60_000,
      clock,
      fetch,
    });
    expect(result).toEqual({ passed: true, rounds: 5 });
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000]);
  });

  test('fails after N failed rounds in a row, naming the URL and the reason', async () => {
    const result = await verifyUrls({
      urls: ['http://app/health'],
      expectation,
      successes: 2,
      intervalMs: 1000,
      timeoutMs: 60_000,
      clock: fakeClock(),
      fetch: responder([503]),
    });
    expect(result).toEqual({
      passed: false,
      rounds: 2,
      reason: '2 failed checks in a row, last: http://app/health: HTTP 503, expected 200',
    });
  });

  test('a separate failure threshold: one failure is tolerated, two in a row are not', async () => {
    const result = await verifyUrls({
      urls: ['http://app/health'],
      expectation,
      successes: 4,
      failures: 2,
      intervalMs: 1000,
      timeoutMs: 60_000,
      clock: fakeClock(),
      fetch: responder([200, 500, 200, 500, 500]),
    });
    expect(result).toEqual({
      passed: false,
      rounds: 5,
      reason: '2 failed checks in a row, last: http://app/health: HTTP 500, expected 200',
    });
  });

  test('fails at the timeout when results alternate', async () => {
    const result = await verifyUrls({
      urls: ['http://app/health'],
      expectation,
      successes: 3,
      intervalMs: 1000,
      timeoutMs: 3500,
      clock: fakeClock(),
      fetch: responder([200, 500, 200, 500, 200, 500]),
    });
    expect(result.passed).toBe(false);
    expect(result.rounds).toBe(4);
    expect(result.reason).toBe(
      'no 3 healthy checks in a row within the verification timeout; last failure: http://app/health: HTTP 500, expected 200',
    );
  });

  test('a round fails when any URL fails; network errors are failures with their cause', async () => {
    const fetch = jest.fn(async (url: string | URL | Request) => {
      if (String(url).includes('down'))
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
      return new Response('ok');
    });
    const rounds: unknown[] = [];
    const result = await verifyUrls({
      urls: ['http://up/', 'http://down/'],
      expectation,
      successes: 1,
      intervalMs: 10,
      timeoutMs: 1000,
      clock: fakeClock(),
      fetch,
      onRound: (round, checks) => rounds.push({ round, checks }),
    });
    expect(result).toEqual({
      passed: false,
      rounds: 1,
      reason: '1 failed check in a row, last: http://down/: request failed (connect ECONNREFUSED)',
    });
    expect(rounds).toEqual([
      {
        round: 1,
        checks: [
          { url: 'http://up/', outcome: { ok: true } },
          { url: 'http://down/', outcome: { ok: false, reason: 'request failed (connect ECONNREFUSED)' } },
        ],
      },
    ]);
  });

  test('throws PollCancelledError when cancelled while waiting', async () => {
    const clock = fakeClock({ autoAdvance: false });
    const controller = new AbortController();
    const running = verifyUrls({
      urls: ['http://app/'],
      expectation,
      successes: 3,
      intervalMs: 1000,
      timeoutMs: 60_000,
      clock,
      signal: controller.signal,
      fetch: responder([200]),
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('received SIGINT'));
    await expect(running).rejects.toBeInstanceOf(PollCancelledError);
  });
});
