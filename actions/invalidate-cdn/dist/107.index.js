"use strict";
exports.id = 107;
exports.ids = [107];
exports.modules = {

/***/ 3107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  invalidate: () => (/* binding */ invalidate)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var lib_core = __webpack_require__(7484);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudfront/dist-cjs/index.js
var dist_cjs = __webpack_require__(3169);
;// CONCATENATED MODULE: ./packages/shared/package.json
const package_namespaceObject = {"rE":"1.0.0"};
;// CONCATENATED MODULE: ./packages/shared/src/constants.ts

/**
 * Shipyard's version, shown in user agents. All packages and actions in the monorepo are released together under
 * one version (tags `v1.x.y`, major tag `v1`), so the shared package's version is the version of every action.
 */
const SHIPYARD_VERSION = package_namespaceObject.rE;
/** The user agent Shipyard sends to AWS and GitHub: `shipyard/<action>/<version>`. */
function shipyardUserAgent(action) {
    return `shipyard/${action}/${SHIPYARD_VERSION}`;
}

// EXTERNAL MODULE: ./packages/shared/src/errors.ts
var errors = __webpack_require__(9680);
;// CONCATENATED MODULE: ./packages/shared/src/aws.ts


/**
 * Builds an AWS SDK v3 client the same way in every action. Credentials are left to the SDK's default chain (so
 * the environment set by aws-actions/configure-aws-credentials, OIDC included, just works), and so are endpoints
 * (AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which is how tests reach aws-sim). Retries are adaptive: they back
 * off and rate-limit themselves when AWS throttles, which a deploy polling several APIs runs into.
 */
function createClient(ClientCtor, options) {
    const client = new ClientCtor({
        region: resolveRegion(options.region),
        maxAttempts: options.maxAttempts,
        retryMode: 'adaptive',
        customUserAgent: shipyardUserAgent(options.action),
    });
    if (hasMiddlewareStack(client))
        nameOperationInErrors(client);
    return client;
}
/** The region input if given, else AWS_REGION, else AWS_DEFAULT_REGION (both set by configure-aws-credentials). */
function resolveRegion(input, env = process.env) {
    const region = input?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
    if (!region) {
        throw new errors/* ConfigError */.xL('No AWS region: set the region input, or AWS_REGION or AWS_DEFAULT_REGION ' +
            '(aws-actions/configure-aws-credentials sets both).');
    }
    return region;
}
// IAM action prefixes that differ from the lower-cased client name.
const IAM_PREFIXES = {
    CloudWatchLogs: 'logs',
    ElasticLoadBalancingV2: 'elasticloadbalancing',
    ApplicationAutoScaling: 'application-autoscaling',
    SecretsManager: 'secretsmanager',
};
/** `ECSClient` + `UpdateServiceCommand` → `ecs:UpdateService`, the name IAM policies use for that call. */
function iamOperationName(clientName, commandName) {
    const service = clientName.replace(/Client$/, '');
    return `${IAM_PREFIXES[service] ?? service.toLowerCase()}:${commandName.replace(/Command$/, '')}`;
}
function hasMiddlewareStack(client) {
    const stack = client?.middlewareStack;
    return typeof stack?.add === 'function';
}
/** Lets runAction say `ecs:UpdateService failed: …` for any failed call without each call site wrapping it. */
function nameOperationInErrors(client) {
    client.middlewareStack.add((next, context) => async (args) => {
        try {
            return await next(args);
        }
        catch (error) {
            if (context.clientName && context.commandName) {
                (0,errors/* rememberAwsOperation */.Ij)(error, iamOperationName(context.clientName, context.commandName));
            }
            throw error;
        }
    }, { step: 'initialize', name: 'shipyardOperationName' });
}

;// CONCATENATED MODULE: ./packages/shared/src/log.ts


let openGroups = 0;
/**
 * Runs one phase of an action inside a collapsible log group, closed in `finally` so a failing phase does not
 * swallow the lines after it. GitHub cannot nest groups (a new one silently closes the open one), so a group
 * started inside another becomes a plain heading line.
 */
async function group(name, fn) {
    if (openGroups > 0) {
        lib_core.info(`▸ ${name}`);
        return fn();
    }
    lib_core.startGroup(name);
    openGroups++;
    try {
        return await fn();
    }
    finally {
        openGroups--;
        lib_core.endGroup();
    }
}
/**
 * An error annotation (shown on the run's summary page and, with `file`/`startLine`, on the diff). An Error or an
 * AWS SDK error is described in one line, the way runAction would.
 */
function annotateError(problem, properties) {
    core.error(typeof problem === 'string' ? problem : describeError(problem), properties);
}

// EXTERNAL MODULE: ./packages/shared/src/poll.ts + 1 modules
var poll = __webpack_require__(7971);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./actions/invalidate-cdn/src/paths.ts
var src_paths = __webpack_require__(8021);
;// CONCATENATED MODULE: ./actions/invalidate-cdn/src/caller-reference.ts


/** The identity of the running step, from the runner's environment; `nonce` stands in for a missing run id. */
function runIdentity(env, nonce) {
    const runId = env.GITHUB_RUN_ID?.trim();
    return {
        repository: env.GITHUB_REPOSITORY?.trim() ?? '',
        runId: runId || `local-${nonce()}`,
        runAttempt: env.GITHUB_RUN_ATTEMPT?.trim() || '1',
        job: env.GITHUB_JOB?.trim() ?? '',
        step: env.GITHUB_ACTION?.trim() ?? '',
        fromGithub: Boolean(runId),
    };
}
/** `shipyard-<run id>-<32 hex digits>`: readable enough to find the run, unique to the batch. */
function callerReference(distributionId, paths, run, scope) {
    const sorted = [...paths].sort(src_paths/* byCodeUnit */.X);
    const identity = [run.repository, run.runId, scope === 'attempt' ? run.runAttempt : '', run.job, run.step];
    // JSON keeps the parts apart: no separator inside a path can make two inputs hash alike.
    const digest = (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify([distributionId, identity, sorted]))
        .digest('hex');
    return `shipyard-${run.runId}-${digest.slice(0, 32)}`;
}
/**
 * The reference to try after InvalidationBatchAlreadyExists (the reference is taken by a different batch), still
 * deterministic so a re-run walks the same sequence: `<reference>-2`, `<reference>-3`, …
 */
function nextCallerReference(base, attempt) {
    return attempt <= 1 ? base : `${base}-${attempt}`;
}

// EXTERNAL MODULE: ./actions/invalidate-cdn/src/constants.ts
var constants = __webpack_require__(9204);
// EXTERNAL MODULE: ./packages/shared/src/inputs.ts
var inputs = __webpack_require__(7458);
;// CONCATENATED MODULE: ./actions/invalidate-cdn/src/distributions.ts




/** `*.example.com` covers exactly one label in its place, as CloudFront's wildcard alternate domain names do. */
function wildcardMatches(alias, domain) {
    if (!alias.startsWith('*.'))
        return false;
    const suffix = alias.slice(1);
    return domain.endsWith(suffix) && !domain.slice(0, -suffix.length).includes('.') && domain.length > suffix.length;
}
/**
 * The one distribution serving `domain`: an exact alias or CloudFront domain name first (CloudFront routes an exact
 * alternate domain name before a wildcard one), else a wildcard alias. None or several → ConfigError naming them.
 */
function matchDistribution(domain, candidates) {
    const names = (d) => [d.domainName, ...d.aliases].map((name) => name.toLowerCase());
    const exact = candidates.filter((d) => names(d).includes(domain));
    const matches = exact.length
        ? exact
        : candidates.filter((d) => names(d).some((name) => wildcardMatches(name, domain)));
    if (matches.length === 1)
        return matches[0].id;
    if (matches.length === 0) {
        throw new errors/* ConfigError */.xL(`No CloudFront distribution in this account has the alias or domain name ${(0,inputs/* quote */.hD)(domain)} ` +
            `(searched ${candidates.length} distribution${candidates.length === 1 ? '' : 's'}); ` +
            'check the name, or give the distribution id.');
    }
    const described = matches.map((d) => `${d.id} (${[d.domainName, ...d.aliases].join(', ')})`).join('; ');
    throw new errors/* ConfigError */.xL(`Domain name ${(0,inputs/* quote */.hD)(domain)} matches ${matches.length} distributions: ${described}. Give the id of the one to ` +
        'invalidate.');
}
function toNames(summary) {
    return { id: summary.Id ?? '', domainName: summary.DomainName ?? '', aliases: summary.Aliases?.Items ?? [] };
}
/** Every distribution of the account, page by page (ListDistributions returns at most 100 at a time by default). */
async function listDistributions(api, signal) {
    const all = [];
    let marker;
    do {
        const { DistributionList: page } = await api.send(new dist_cjs/* ListDistributionsCommand */.jPJ({ Marker: marker }), {
            abortSignal: signal,
        });
        all.push(...(page?.Items ?? []).map(toNames));
        marker = page?.IsTruncated ? page.NextMarker : undefined;
    } while (marker);
    return all;
}
// An invalidation id that cannot exist (ids are upper-case): GetInvalidation then answers NoSuchDistribution for a
// missing distribution and NoSuchInvalidation for an existing one, without needing another permission.
const PROBE_INVALIDATION_ID = 'shipyard-probe';
async function distributionExists(api, id, signal) {
    try {
        await api.send(new dist_cjs/* GetInvalidationCommand */.Wwh({ DistributionId: id, Id: PROBE_INVALIDATION_ID }), {
            abortSignal: signal,
        });
        return true;
    }
    catch (error) {
        if ((0,errors/* isAwsSdkError */.iy)(error) && error.name === 'NoSuchDistribution')
            return false;
        // NoSuchInvalidation is the expected answer; anything else (e.g. no permission) leaves the question open and
        // CreateInvalidation will answer it.
        lib_core.debug(`Probing distribution ${id}: ${error instanceof Error ? error.name : String(error)}`);
        return true;
    }
}
function missingDistribution(id) {
    return new errors/* ConfigError */.xL(`CloudFront distribution ${(0,inputs/* quote */.hD)(id)} does not exist in this AWS account (NoSuchDistribution).`);
}
/**
 * Turns the workflow's names into distribution ids. Domains are looked up with ListDistributions (one listing for
 * all of them); ids are confirmed against that listing or by a probe. Nothing is created until every distribution
 * is known to exist, so a typo in the second cannot leave the first invalidated and the step failed half-way.
 */
async function resolveDistributions(api, refs, signal) {
    const domains = refs.filter((ref) => ref.kind === 'domain');
    const listed = domains.length ? await listDistributions(api, signal) : undefined;
    const resolved = [];
    for (const ref of refs) {
        if (ref.kind === 'domain') {
            const id = matchDistribution(ref.domain, listed ?? []);
            lib_core.info(`${ref.domain} → distribution ${id}`);
            resolved.push({ id, requestedAs: ref.domain });
            continue;
        }
        const exists = listed ? listed.some((d) => d.id === ref.id) : await distributionExists(api, ref.id, signal);
        if (!exists)
            throw missingDistribution(ref.id);
        resolved.push({ id: ref.id, requestedAs: ref.id });
    }
    // An id and an alias of the same distribution: invalidate it once.
    return resolved.filter((d, index) => resolved.findIndex((other) => other.id === d.id) === index);
}

// EXTERNAL MODULE: ./packages/shared/src/duration.ts
var duration = __webpack_require__(6291);
;// CONCATENATED MODULE: ./actions/invalidate-cdn/src/submit.ts







/** Between a batch and a retry when CloudFront has no room; invalidations take tens of seconds to minutes. */
const BACK_OFF = { minIntervalMs: 3_000, maxIntervalMs: 30_000 };
/** How many successor references to try after InvalidationBatchAlreadyExists before giving up. */
const MAX_REFERENCES = 5;
/** Clock skew allowed between the runner and CloudFront when telling a reused invalidation from a new one. */
const REUSE_MARGIN_MS = 5 * 60_000;
function errorName(error) {
    return (0,errors/* isAwsSdkError */.iy)(error) ? error.name : undefined;
}
async function tryCreate(ctx, distributionId, paths, reference) {
    try {
        const { Invalidation: invalidation } = await ctx.api.send(new dist_cjs/* CreateInvalidationCommand */.Yo6({
            DistributionId: distributionId,
            InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: paths } },
        }), { abortSignal: ctx.signal });
        if (!invalidation?.Id)
            throw new Error(`CreateInvalidation for ${distributionId} returned no invalidation id`);
        return { kind: 'created', invalidation };
    }
    catch (error) {
        switch (errorName(error)) {
            case 'TooManyInvalidationsInProgress':
                return { kind: 'busy' };
            // Not a modeled error class in the SDK: it arrives as a CloudFrontServiceException carrying this name.
            case 'InvalidationBatchAlreadyExists':
                return { kind: 'taken' };
            case 'NoSuchDistribution':
                throw missingDistribution(distributionId);
            default:
                throw error;
        }
    }
}
/**
 * Creates one batch, waiting with back-off while CloudFront answers TooManyInvalidationsInProgress (our earlier
 * batches, or anyone else's invalidations, fill the in-flight window). A reference already taken by different
 * paths moves on to the next deterministic reference, so a re-run still finds its own invalidation.
 */
async function createBatch(ctx, distributionId, paths, label) {
    const base = callerReference(distributionId, paths, ctx.run, ctx.scope);
    for (let attempt = 1; attempt <= MAX_REFERENCES; attempt++) {
        const reference = nextCallerReference(base, attempt);
        const outcome = await (0,poll/* poll */.wt)({
            describe: () => tryCreate(ctx, distributionId, paths, reference),
            isDone: (state) => state.kind !== 'busy',
            timeoutMs: Math.max(0, ctx.deadline - ctx.clock.now()),
            signal: ctx.signal,
            clock: ctx.clock,
            ...BACK_OFF,
            waitingFor: `room for ${label} (CloudFront kept answering TooManyInvalidationsInProgress)`,
            onProgress: ({ nextPollInMs }) => lib_core.info(`${label}: CloudFront has too many invalidations in progress; retrying in ${(0,duration/* formatDuration */.a)(nextPollInMs)}.`),
        });
        if (outcome.kind === 'created')
            return outcome.invalidation;
        lib_core.warning(`${label}: CallerReference ${reference} is already used by a different batch ` +
            '(InvalidationBatchAlreadyExists); trying the next reference.');
    }
    throw new Error(`${label}: ${MAX_REFERENCES} CallerReferences in a row were taken by other batches.`);
}
/**
 * Submits every batch of one distribution in order; `record` receives each invalidation as soon as it exists, so
 * the outputs list it even when a later batch fails.
 */
async function submitBatches(ctx, distributionId, batches, record) {
    for (const [index, paths] of batches.entries()) {
        const label = `${distributionId} batch ${index + 1}/${batches.length}`;
        const invalidation = await createBatch(ctx, distributionId, paths, label);
        const createdAt = invalidation.CreateTime?.getTime() ?? ctx.clock.now();
        const reused = invalidation.Status === 'Completed' || createdAt < ctx.startedAt - REUSE_MARGIN_MS;
        lib_core.info(`${label}: ${reused ? 'reused' : 'created'} invalidation ${invalidation.Id} ` +
            `(${paths.length} path${paths.length === 1 ? '' : 's'}, ${invalidation.Status}).`);
        record({
            distributionId,
            batch: index + 1,
            batches: batches.length,
            id: invalidation.Id,
            paths: paths.length,
            status: invalidation.Status ?? 'InProgress',
            reused,
        });
    }
}

;// CONCATENATED MODULE: ./actions/invalidate-cdn/src/watch.ts





const COMPLETED = 'Completed';
/** Invalidations usually take from a few seconds to a few minutes. */
const WATCH_INTERVALS = { minIntervalMs: 3_000, maxIntervalMs: 20_000 };
const pending = (records) => records.filter((record) => record.status !== COMPLETED);
/**
 * Polls GetInvalidation for every invalidation not yet `Completed` until all are, updating each record's status
 * in place (so the summary shows the last known status even after a timeout).
 */
async function waitForCompletion(ctx, records) {
    try {
        await (0,poll/* poll */.wt)({
            describe: async (signal) => {
                await Promise.all(pending(records).map(async (record) => {
                    const { Invalidation: invalidation } = await ctx.api.send(new dist_cjs/* GetInvalidationCommand */.Wwh({ DistributionId: record.distributionId, Id: record.id }), { abortSignal: signal });
                    record.status = invalidation?.Status ?? record.status;
                }));
                return pending(records).length;
            },
            isDone: (left) => left === 0,
            fingerprint: (left) => left,
            timeoutMs: Math.max(0, ctx.deadline - ctx.clock.now()),
            signal: ctx.signal,
            clock: ctx.clock,
            ...WATCH_INTERVALS,
            waitingFor: 'the invalidations to reach Completed',
            onProgress: ({ state: left, nextPollInMs }) => lib_core.info(`${records.length - left} of ${records.length} invalidations completed; ` +
                `next check in ${(0,duration/* formatDuration */.a)(nextPollInMs)}.`),
        });
        lib_core.info(`All ${records.length} invalidation${records.length === 1 ? '' : 's'} completed.`);
    }
    catch (error) {
        if (!(error instanceof poll/* PollTimeoutError */.t5))
            throw error;
        const left = pending(records).map((record) => `${record.id} (${record.distributionId})`);
        throw new errors/* DeploymentFailure */.S(`${error.message}; still in progress: ${left.join(', ')}`, 'CloudFront keeps processing them after this step ends; nothing needs undoing. Raise "timeout", or set ' +
            '"wait: false" to return as soon as they are created.');
    }
}

;// CONCATENATED MODULE: ./actions/invalidate-cdn/src/invalidate.ts










// CloudFront is a global service; its API lives in us-east-1 whatever region the workflow deploys to.
const CLOUDFRONT_REGION = 'us-east-1';
/**
 * The AWS phases, loaded only once the inputs are valid (this module pulls in the SDK): resolve the
 * distributions, create every batch, then wait for Completed unless told not to.
 */
async function invalidate(inputs, report, signal) {
    const api = createClient(dist_cjs/* CloudFrontClient */.GHk, { action: constants/* ACTION */.hr, region: CLOUDFRONT_REGION });
    const startedAt = poll/* systemClock */.ml.now();
    const run = runIdentity(process.env, () => `${startedAt.toString(36)}${Math.random().toString(36).slice(2, 8)}`);
    if (!run.fromGithub)
        lib_core.info('Not running in GitHub Actions (no GITHUB_RUN_ID): this run reuses nothing.');
    const ctx = {
        api,
        signal,
        clock: poll/* systemClock */.ml,
        deadline: startedAt + inputs.timeoutMs,
        startedAt,
        run,
        scope: inputs.scope,
    };
    const distributions = await group('Resolve distributions', () => resolveDistributions(api, inputs.distributions, signal));
    report.distributions = distributions;
    const { batches } = report.plan;
    await group(`Create invalidations (${batches.length} batch${batches.length === 1 ? '' : 'es'} each)`, async () => {
        // Distributions have separate in-flight windows, so they proceed side by side.
        const results = await Promise.allSettled(distributions.map((d) => submitBatches(ctx, d.id, batches, (record) => report.invalidations.push(record))));
        const failure = results.find((result) => result.status === 'rejected');
        if (failure)
            throw failure.reason;
    });
    if (!inputs.wait) {
        lib_core.info('wait is false: not waiting for the invalidations to complete.');
        return;
    }
    await group('Wait for Completed', () => waitForCompletion(ctx, report.invalidations));
}


/***/ })

};
;