import { planInvalidation } from '../src/plan';

const files = (count: number, directory = '/d/') =>
  Array.from({ length: count }, (_, index) => `${directory}f${String(index).padStart(4, '0')}`);

describe('planInvalidation', () => {
  test('within budget: submits what was requested, in one batch', () => {
    const plan = planInvalidation(files(10), { costMode: true, pathBudget: 1_000, distributionCount: 1 });
    expect(plan).toEqual({
      requested: files(10),
      submitted: files(10),
      collapsed: [],
      batches: [files(10)],
      budgetPerDistribution: 1_000,
    });
  });

  test('the budget is shared by the distributions, since the free tier is per account', () => {
    const plan = planInvalidation([...files(300, '/a/'), ...files(300, '/b/')], {
      costMode: true,
      pathBudget: 1_000,
      distributionCount: 2,
    });
    expect(plan.budgetPerDistribution).toBe(500);
    expect(plan.submitted).toEqual([...files(300, '/a/'), '/b/*']);
    expect(plan.collapsed).toEqual([{ wildcard: '/b/*', replaces: 300 }]);
  });

  test('cost mode off: every path is submitted, in windows of 3,000', () => {
    const plan = planInvalidation(files(7_000), { costMode: false, pathBudget: 1_000, distributionCount: 1 });
    expect(plan.submitted).toHaveLength(7_000);
    expect(plan.batches.map((batch) => batch.length)).toEqual([3_000, 3_000, 1_000]);
    expect(plan.budgetPerDistribution).toBeUndefined();
  });

  test('a budget smaller than the distributions still allows one path each', () => {
    const plan = planInvalidation(files(5), { costMode: true, pathBudget: 1, distributionCount: 3 });
    expect(plan.submitted).toEqual(['/d/*']);
  });
});
