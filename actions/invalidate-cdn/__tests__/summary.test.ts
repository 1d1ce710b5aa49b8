import { planInvalidation } from '../src/plan';
import { buildSummary, inputErrorSummary, outputsOf, type Report } from '../src/summary';

const files = (count: number, directory: string) =>
  Array.from({ length: count }, (_, index) => `${directory}f${String(index).padStart(4, '0')}.js`);

function report(overrides: Partial<Report> = {}): Report {
  const requested = [...files(900, '/a/'), ...files(600, '/b/')];
  return {
    plan: planInvalidation(requested, { costMode: true, pathBudget: 1_000, distributionCount: 1 }),
    distributionNames: ['www.example.com'],
    distributions: [{ id: 'E1SITE', requestedAs: 'www.example.com' }],
    invalidations: [
      { distributionId: 'E1SITE', batch: 1, batches: 1, id: 'I1', paths: 601, status: 'Completed', reused: false },
    ],
    wait: true,
    succeeded: true,
    ...overrides,
  };
}

describe('outputsOf', () => {
  test('counts requested and billed paths over every distribution', () => {
    expect(outputsOf(report())).toEqual({
      'invalidation-ids': 'I1',
      'paths-requested': '1500',
      'paths-submitted': '601',
      'estimated-cost': '0.000',
    });
  });

  test('reused invalidations are not billed again', () => {
    const reused = report({
      invalidations: [
        { distributionId: 'E1SITE', batch: 1, batches: 2, id: 'I1', paths: 3_000, status: 'Completed', reused: true },
        { distributionId: 'E1SITE', batch: 2, batches: 2, id: 'I2', paths: 2_000, status: 'Completed', reused: false },
      ],
    });
    expect(outputsOf(reused)).toMatchObject({
      'invalidation-ids': 'I1,I2',
      'paths-submitted': '2000',
      'estimated-cost': '5.000',
    });
  });

  test('before anything is created (e.g. a bad distribution): zero, with the requested count', () => {
    expect(outputsOf(report({ invalidations: [], distributions: undefined, succeeded: false }))).toEqual({
      'invalidation-ids': '',
      'paths-requested': '1500',
      'paths-submitted': '0',
      'estimated-cost': '0.000',
    });
  });
});

describe('buildSummary', () => {
  test('a completed invalidation with cost mode', () => {
    expect(buildSummary(report()).toMarkdown()).toBe(
      [
        '## CloudFront invalidation completed',
        '',
        '| Distribution | Invalidation | Batch | Paths | Status |',
        '| --- | --- | --- | --- | --- |',
        '| E1SITE (www.example.com) | I1 | 1/1 | 601 | Completed |',
        '',
        '**1,500 paths** requested, **601** submitted.',
        "Estimated cost **$0.000** while the month's 1,000 free paths last, $3.005 once they are used up.",
        'Cost mode (budget 1,000 paths per distribution) covered 900 paths with 1 wildcard; every requested path ' +
          'would have cost $2.500.',
        '',
        '<details><summary>Wildcards from cost mode (1)</summary>',
        '',
        '- `/a/*` for 900 paths',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  test('a failure shows the reason, what was created, ignored files and failed transfers', () => {
    const markdown = buildSummary(
      report({
        succeeded: false,
        reason: 'cloudfront:CreateInvalidation failed: AccessDenied: not authorized',
        invalidations: [
          { distributionId: 'E1SITE', batch: 1, batches: 2, id: 'I1', paths: 3, status: 'InProgress', reused: true },
        ],
        changes: { urlPaths: [], ignored: ['src/a.ts', 'README.md'], failed: ['upload failed: dist/x to s3://b/x'] },
      }),
    ).toMarkdown();
    expect(markdown).toContain('## CloudFront invalidation failed');
    expect(markdown).toContain('**Failed:** cloudfront:CreateInvalidation failed: AccessDenied: not authorized');
    expect(markdown).toContain('| E1SITE (www.example.com) | I1 (reused) | 1/2 | 3 | InProgress |');
    expect(markdown).toContain('Reused invalidations of an earlier attempt: only 0 paths newly billed.');
    expect(markdown).toContain('<details><summary>Changed files outside the site, ignored (2)</summary>');
    expect(markdown).toContain('- `src/a.ts`\n- `README.md`');
    expect(markdown).toContain('- `upload failed: dist/x to s3://b/x`');
  });

  test('long lists are cut', () => {
    const ignored = Array.from({ length: 60 }, (_, index) => `src/f${index}.ts`);
    const markdown = buildSummary(report({ changes: { urlPaths: [], ignored, failed: [] } })).toMarkdown();
    expect(markdown).toContain('- `src/f49.ts`\n- … and 10 more');
    expect(markdown).not.toContain('src/f50.ts');
  });

  test('fire-and-forget and nothing-to-do headlines', () => {
    expect(buildSummary(report({ wait: false })).toMarkdown()).toMatch(/^## CloudFront invalidation submitted\n/);
    const empty = report({ plan: planInvalidation([], { costMode: true, pathBudget: 1_000, distributionCount: 1 }) });
    expect(buildSummary(empty).toMarkdown()).toMatch(/^## CloudFront invalidation: nothing to invalidate\n/);
  });
});

describe('inputErrorSummary', () => {
  test('the reason, and that nothing reached CloudFront', () => {
    expect(inputErrorSummary('Path "/a*b" has a "*" before its end').toMarkdown()).toBe(
      '## CloudFront invalidation failed\n\n**Failed:** Path "/a*b" has a "*" before its end\nNothing was sent to CloudFront.\n',
    );
  });
});
