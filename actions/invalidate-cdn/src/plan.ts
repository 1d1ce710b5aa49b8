import { planBatches } from './batches';
import { collapsePaths, type CollapsedPrefix } from './collapse';

export interface PlanOptions {
  costMode: boolean;
  /** Paths for the whole step, all distributions together (CloudFront bills per account). */
  pathBudget: number;
  distributionCount: number;
}

/** What each distribution gets: every distribution receives the same paths. */
export interface Plan {
  requested: string[];
  submitted: string[];
  collapsed: CollapsedPrefix[];
  batches: string[][];
  /** The budget per distribution, when cost mode is on. */
  budgetPerDistribution?: number;
}

export function planInvalidation(requested: string[], options: PlanOptions): Plan {
  const budgetPerDistribution = options.costMode
    ? Math.max(1, Math.floor(options.pathBudget / Math.max(1, options.distributionCount)))
    : undefined;
  const { paths, collapsed } =
    budgetPerDistribution === undefined
      ? { paths: requested, collapsed: [] }
      : collapsePaths(requested, { budget: budgetPerDistribution });
  return { requested, submitted: paths, collapsed, batches: planBatches(paths), budgetPerDistribution };
}
