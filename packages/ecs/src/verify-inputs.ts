import * as core from '@shipyard/platform/core';
import { CHECK_INTERVAL_BOUNDS, readDuration, readInteger, readList, WAIT_BOUNDS } from '@shipyard/platform/inputs';
import { parseBodyExpectation, parseStatusExpectation, parseUrls, type HttpExpectation } from './verify';

// The verification inputs ecs-deploy and the rollback action share: one reader, so both accept the same values.

/** Each action's names for the shared verification inputs (its `Input` constants). */
export interface VerifyInputNames {
  VerifyUrl: string;
  VerifyStatus: string;
  VerifyBody: string;
  VerifySuccesses: string;
  VerifyInterval: string;
  VerifyTimeout: string;
}

export interface VerifyInputs {
  /** Production URLs, checked once the service runs the revision. */
  urls: string[];
  expectation: HttpExpectation;
  successes: number;
  intervalMs: number;
  timeoutMs: number;
}

export function readVerifyInputs(names: VerifyInputNames): VerifyInputs {
  return {
    urls: parseUrls(names.VerifyUrl, readList(names.VerifyUrl)),
    expectation: {
      status: parseStatusExpectation(names.VerifyStatus, core.getInput(names.VerifyStatus)),
      body: parseBodyExpectation(names.VerifyBody, core.getInput(names.VerifyBody)),
    },
    successes: readInteger(names.VerifySuccesses, { min: 1, max: 100, default: 3 }),
    intervalMs: readDuration(names.VerifyInterval, 5_000, CHECK_INTERVAL_BOUNDS),
    timeoutMs: readDuration(names.VerifyTimeout, 120_000, WAIT_BOUNDS),
  };
}
