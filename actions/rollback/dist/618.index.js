"use strict";
exports.id = 618;
exports.ids = [618];
exports.modules = {

/***/ 618:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  failuresToExplain: () => (/* binding */ failuresToExplain),
  startRollbacks: () => (/* binding */ startRollbacks),
  verifyRollback: () => (/* binding */ verifyRollback),
  waitForRollbacks: () => (/* binding */ waitForRollbacks)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./packages/shared/src/ecs-deployments.ts
var ecs_deployments = __webpack_require__(9131);
// EXTERNAL MODULE: ./packages/shared/src/ecs-names.ts
var ecs_names = __webpack_require__(6275);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./packages/shared/src/poll.ts + 1 modules
var poll = __webpack_require__(7971);
;// CONCATENATED MODULE: ./packages/shared/src/ecs-watch.ts



const WATCH_MIN_INTERVAL_MS = 2_000;
const WATCH_MAX_INTERVAL_MS = 4_000;
const SERVICES_PER_CALL = 10;
const DEPLOYMENTS_PER_CALL = 20;
const FULL_REFRESH_EVERY = 3;
function chunks(items, size) {
    const result = [];
    for (let i = 0; i < items.length; i += size)
        result.push(items.slice(i, i + size));
    return result;
}
/** Which service deployment fields count as "it moved" (the interval snaps back and services are re-read). */
function movement(sd) {
    if (!sd)
        return '';
    const counts = [sd.targetServiceRevision, ...(sd.sourceServiceRevisions ?? [])].map((r) => `${r?.runningTaskCount}/${r?.pendingTaskCount}/${r?.requestedProductionTrafficWeight}/${r?.requestedTestTrafficWeight}`);
    const hooks = (sd.lifecycleHookDetails ?? []).map((h) => h.status).join(',');
    return `${sd.status}|${sd.lifecycleStage}|${counts.join(';')}|${hooks}`;
}
/** Fetches the service deployments and, when needed, the services; missing services become `missing`. */
async function describeDeployments(ecs, cluster, targets, previous, refreshServices, signal) {
    const arns = targets.flatMap((t) => (t.serviceDeploymentArn ? [t.serviceDeploymentArn] : []));
    const sdByArn = new Map();
    for (const batch of chunks(arns, DEPLOYMENTS_PER_CALL)) {
        const response = await ecs.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: batch }), {
            abortSignal: signal,
        });
        for (const sd of response.serviceDeployments ?? [])
            if (sd.serviceDeploymentArn)
                sdByArn.set(sd.serviceDeploymentArn, sd);
    }
    const sdByService = new Map();
    for (const target of targets) {
        const sd = target.serviceDeploymentArn ? sdByArn.get(target.serviceDeploymentArn) : undefined;
        if (sd)
            sdByService.set(target.service, sd);
    }
    const services = new Map();
    const missing = new Map();
    // Always asked, so the caller's record of what moved stays current even when the answer is forced.
    const refresh = refreshServices(sdByService);
    if (!previous || refresh) {
        for (const batch of chunks(targets.map((t) => t.service), SERVICES_PER_CALL)) {
            const response = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: batch }), {
                abortSignal: signal,
            });
            for (const service of response.services ?? []) {
                const name = batch.find((n) => n === service.serviceName || n === service.serviceArn);
                if (!name)
                    continue;
                if (service.status === 'ACTIVE')
                    services.set(name, service);
                else
                    missing.set(name, `the service is ${service.status}`);
            }
            for (const failure of response.failures ?? []) {
                const name = batch.find((n) => failure.arn?.endsWith(`/${n}`) || failure.arn === n);
                if (name)
                    missing.set(name, `the service is ${failure.reason ?? 'missing'}`);
            }
        }
    }
    return new Map(targets.map((t) => [
        t.service,
        {
            service: services.get(t.service) ?? (missing.has(t.service) ? undefined : previous?.get(t.service)?.service),
            serviceDeployment: sdByService.get(t.service),
            missing: missing.get(t.service),
        },
    ]));
}
/**
 * Polls until every target is settled. Throws PollTimeoutError / PollCancelledError (lastState: the WatchResult of
 * the last round) when the deadline passes or the signal aborts.
 */
async function watchDeployments(options) {
    const { ecs, cluster, targets, onEvent, onUpdate } = options;
    const isSettled = options.isSettled ?? ((_target, verdict) => verdict.state !== 'in-progress');
    const streams = options.eventStreams ?? new Map();
    const results = new Map();
    let round = 0;
    let lastMovement = new Map();
    let snapshots;
    const refreshServices = (sds) => {
        const now = new Map([...sds].map(([service, sd]) => [service, movement(sd)]));
        const moved = [...now].some(([service, text]) => lastMovement.get(service) !== text);
        const needed = moved || round % FULL_REFRESH_EVERY === 0 || now.size < watched().length;
        lastMovement = now;
        return needed || [...sds.values()].some((sd) => sd.status !== 'IN_PROGRESS' && sd.status !== 'PENDING');
    };
    const watched = () => targets.filter((t) => !results.has(t.service) || !isSettled(t, results.get(t.service).verdict));
    await (0,poll/* poll */.wt)({
        describe: async (signal) => {
            round++;
            const pending = watched();
            snapshots = await describeDeployments(ecs, cluster, pending, snapshots, refreshServices, signal);
            for (const target of pending) {
                const snapshot = snapshots.get(target.service) ?? {};
                let stream = streams.get(target.service);
                if (!stream)
                    streams.set(target.service, (stream = new ecs_deployments/* ServiceEventStream */.WI()));
                for (const event of stream.next(snapshot.service?.events))
                    onEvent?.(target.service, event);
                const entry = { snapshot, verdict: (0,ecs_deployments/* judgeDeployment */.Z1)(target, snapshot) };
                results.set(target.service, entry);
                onUpdate?.(target, entry);
            }
            return results;
        },
        isDone: () => watched().length === 0,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        clock: options.clock,
        minIntervalMs: options.minIntervalMs ?? WATCH_MIN_INTERVAL_MS,
        maxIntervalMs: options.maxIntervalMs ?? WATCH_MAX_INTERVAL_MS,
        fingerprint: () => [...lastMovement.values()].join('\n'),
        waitingFor: options.waitingFor ?? 'the deployment',
    });
    return results;
}
/** One progress line: status, stage, new revision's tasks and traffic, or the rolling view's counts. */
function progressLine(snapshot) {
    const sd = snapshot.serviceDeployment;
    if (sd) {
        const target = sd.targetServiceRevision;
        const parts = [sd.status ?? 'UNKNOWN'];
        if (sd.lifecycleStage)
            parts.push(sd.lifecycleStage);
        if (target) {
            parts.push(`new revision ${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running`);
            if (target.requestedProductionTrafficWeight !== undefined)
                parts.push(`production traffic ${target.requestedProductionTrafficWeight}%`);
            if (target.requestedTestTrafficWeight !== undefined)
                parts.push(`test traffic ${target.requestedTestTrafficWeight}%`);
        }
        const awaiting = sd.lifecycleHookDetails?.filter((h) => h.status === 'AWAITING_ACTION').length;
        if (awaiting)
            parts.push(`${awaiting} hook${awaiting > 1 ? 's' : ''} awaiting action`);
        return parts.join(' · ');
    }
    const deployments = snapshot.service?.deployments ?? [];
    if (deployments.length === 0)
        return snapshot.missing ?? 'no deployment';
    return deployments
        .map((d) => `${d.status} ${d.rolloutState ?? ''} ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running${d.failedTasks ? `, ${d.failedTasks} failed` : ''}`.replace(/\s+/g, ' '))
        .join('; ');
}

// EXTERNAL MODULE: ./packages/shared/src/errors.ts
var errors = __webpack_require__(9680);
;// CONCATENATED MODULE: ./packages/shared/src/ecs-rollback.ts




function primaryDeploymentId(service) {
    return service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
}
async function update(ecs, cluster, step) {
    const response = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({ cluster, service: step.service, taskDefinition: step.taskDefinitionArn }));
    return {
        method: 'update',
        target: {
            service: step.service,
            taskDefinitionArn: step.taskDefinitionArn,
            deploymentId: primaryDeploymentId(response.service),
            serviceDeploymentArn: response.service?.currentServiceDeployment,
        },
    };
}
/** Makes the one mutating call a step needs (none for `none` and `await`). */
async function startRollback(ecs, cluster, step) {
    const watchCurrent = () => ({
        service: step.service,
        taskDefinitionArn: step.taskDefinitionArn,
        serviceDeploymentArn: step.current?.serviceDeploymentArn,
    });
    switch (step.method) {
        case 'none':
            return { method: 'none' };
        case 'await':
            return { method: 'await', target: watchCurrent() };
        case 'update':
            return update(ecs, cluster, step);
        case 'stop':
            try {
                await ecs.send(new dist_cjs/* StopServiceDeploymentCommand */.a8L({
                    serviceDeploymentArn: step.current?.serviceDeploymentArn,
                    stopType: 'ROLLBACK',
                }));
                return { method: 'stop', target: watchCurrent() };
            }
            catch (error) {
                // The deployment finished between the look and the stop: it can no longer be stopped, so deploy the target.
                if ((0,errors/* isError */.bJ)(error) && error.name === 'ConflictException')
                    return update(ecs, cluster, step);
                throw error;
            }
    }
}
/**
 * Judges a rollback from one snapshot: done when the service is stable on the target — through its own deployment
 * succeeding, or through ECS rolling a deployment back onto it. Pure.
 */
function judgeRollback(target, snapshot) {
    const verdict = (0,ecs_deployments/* judgeDeployment */.Z1)(target, snapshot);
    if (verdict.state !== 'failed')
        return verdict;
    if (verdict.ecsRollback === 'in-progress')
        return { state: 'in-progress' };
    if (verdict.ecsRollback !== 'succeeded')
        return verdict;
    const primary = snapshot.service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
    if (primary === target.taskDefinitionArn)
        return { state: 'succeeded' };
    return {
        state: 'failed',
        reason: `${verdict.reason}; the service is back on ${primary}, not on ${target.taskDefinitionArn}`,
        ecsRollback: 'none',
    };
}
/**
 * Watches rollbacks in one poll loop until each is settled by judgeRollback; the result's verdicts are
 * judgeRollback's. Throws PollTimeoutError / PollCancelledError like watchDeployments.
 */
async function watchRollbacks(options) {
    const judged = (target, watched) => ({
        snapshot: watched.snapshot,
        verdict: judgeRollback(target, watched.snapshot),
    });
    const byService = new Map(options.targets.map((t) => [t.service, t]));
    // isSettled only sees judgeDeployment's verdict, so each round's rollback verdict is kept here.
    const latest = new Map();
    const results = await watchDeployments({
        ...options,
        waitingFor: options.waitingFor ?? 'the rollback',
        isSettled: (target) => (latest.get(target.service)?.verdict.state ?? 'in-progress') !== 'in-progress',
        onUpdate: (target, watched) => {
            const entry = judged(target, watched);
            latest.set(target.service, entry);
            options.onUpdate?.(target, entry);
        },
    });
    return new Map([...results].map(([service, watched]) => [service, judged(byService.get(service), watched)]));
}

// EXTERNAL MODULE: ./packages/shared/src/verify.ts
var src_verify = __webpack_require__(1470);
// EXTERNAL MODULE: ./actions/rollback/src/report.ts
var report = __webpack_require__(8322);
;// CONCATENATED MODULE: ./actions/rollback/src/execute.ts









/** Starts every service's rollback in parallel; a service whose call fails is marked failed, the others go on. */
async function startRollbacks(ecs, cluster, plans) {
    const moving = plans.filter((plan) => plan.entry.method !== 'none');
    for (const plan of plans)
        if (plan.entry.method === 'none')
            core.info(`${plan.entry.service}: already on the target.`);
    const settled = await Promise.allSettled(moving.map(async (plan) => {
        const { entry } = plan;
        const startedAt = Date.now();
        const started = await startRollback(ecs, cluster, {
            service: entry.service,
            taskDefinitionArn: plan.target.taskDefinition.taskDefinitionArn,
            method: entry.method ?? 'update',
            current: plan.current,
        });
        entry.method = started.method;
        entry.result = 'started';
        core.info(`${entry.service}: ${(0,report/* describeMethod */.tK)(started.method)} → ${(0,ecs_names/* shortTaskDefinition */.P5)(entry.toArn)}`);
        return started.target && { plan, target: started.target, startedAt };
    }));
    return settled.flatMap((result, index) => {
        if (result.status === 'fulfilled')
            return result.value ? [result.value] : [];
        const { entry } = moving[index];
        entry.result = 'failed';
        entry.reason = (0,errors/* describeError */.Uc)(result.reason);
        core.error(`${entry.service}: the rollback could not start: ${entry.reason}`);
        return [];
    });
}
function settle(service, snapshot, timedOut) {
    const { entry } = service.plan;
    const verdict = judgeRollback(service.target, snapshot);
    service.snapshot = snapshot;
    entry.durationMs = Date.now() - service.startedAt;
    if (verdict.state === 'succeeded') {
        entry.result = 'succeeded';
    }
    else {
        entry.result = 'failed';
        entry.reason = verdict.state === 'failed' ? verdict.reason : `${timedOut} (${progressLine(snapshot)})`;
    }
}
/** Waits until every started rollback is stable on its target or failed; the timeout fails those still going. */
async function waitForRollbacks(ecs, inputs, started, signal, clock) {
    if (started.length === 0)
        return;
    const lastProgress = new Map();
    let results;
    try {
        results = await watchRollbacks({
            ecs,
            cluster: inputs.cluster,
            targets: started.map((s) => s.target),
            timeoutMs: inputs.timeoutMs,
            signal,
            clock,
            eventStreams: new Map(started.map((s) => [s.target.service, new ecs_deployments/* ServiceEventStream */.WI(s.plan.events)])),
            onEvent: (service, event) => core.info(`${service}: ${event.message}`),
            onUpdate: (target, watched) => {
                const line = progressLine(watched.snapshot);
                if (lastProgress.get(target.service) === line)
                    return;
                lastProgress.set(target.service, line);
                core.info(`${target.service}: ${line}`);
            },
        });
    }
    catch (error) {
        if (!(error instanceof poll/* PollTimeoutError */.t5 || error instanceof poll/* PollCancelledError */.xJ))
            throw error;
        const last = error.lastState ?? new Map();
        for (const service of started)
            settle(service, last.get(service.target.service)?.snapshot ?? {}, error.message);
        if (error instanceof poll/* PollCancelledError */.xJ)
            throw error;
        return;
    }
    for (const service of started)
        settle(service, results.get(service.target.service)?.snapshot ?? {});
}
/** The services to explain: the failed ones, or every started one when the verification failed. */
function failuresToExplain(started, report) {
    if (report.verification?.passed === false) {
        return started.map((service) => ({ service, reason: `verification failed: ${report.verification?.reason}` }));
    }
    return started.flatMap((service) => {
        const { result, reason } = service.plan.entry;
        return result === 'failed' ? [{ service, reason: reason ?? 'failed' }] : [];
    });
}
/** Checks the URLs once every service is back; the outcome goes into the report. */
async function verifyRollback(verify, report, signal) {
    core.info(`Expecting ${(0,src_verify/* describeExpectation */.uN)(verify.expectation)} from ${verify.urls.join(', ')}.`);
    const result = await (0,src_verify/* verifyUrls */.gS)({
        ...verify,
        signal,
        onRound: (round, checks) => {
            for (const check of checks) {
                core.info(`  check ${round}: ${check.url} ${check.outcome.ok ? 'ok' : check.outcome.reason}`);
            }
        },
    });
    report.verification = { urls: verify.urls, passed: result.passed, reason: result.reason };
    return result.passed;
}


/***/ }),

/***/ 9131:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A0: () => (/* binding */ lastSuccessfulRevision),
/* harmony export */   WI: () => (/* binding */ ServiceEventStream),
/* harmony export */   Z1: () => (/* binding */ judgeDeployment),
/* harmony export */   hg: () => (/* binding */ primaryTaskDefinition)
/* harmony export */ });
/* unused harmony exports isInFlight, stableTaskDefinition */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(212);

const ROLLBACK_STATES = {
    ROLLBACK_REQUESTED: 'in-progress',
    ROLLBACK_IN_PROGRESS: 'in-progress',
    ROLLBACK_SUCCESSFUL: 'succeeded',
    ROLLBACK_FAILED: 'failed',
};
function isInFlight(status) {
    return status === 'PENDING' || status === 'IN_PROGRESS';
}
/** The task definition of the service's PRIMARY deployment (what new tasks run). */
function primaryTaskDefinition(service) {
    return service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service?.taskDefinition;
}
/** Judges one deployment from one snapshot. Pure. */
function judgeDeployment(target, snapshot) {
    if (snapshot.missing)
        return { state: 'failed', reason: snapshot.missing, ecsRollback: 'none' };
    const sd = snapshot.serviceDeployment;
    if (sd?.status) {
        const reason = sd.statusReason ? `: ${sd.statusReason}` : '';
        if (isInFlight(sd.status))
            return { state: 'in-progress' };
        if (sd.status === 'SUCCESSFUL')
            return primaryIsOurs(target, snapshot.service);
        const ecsRollback = ROLLBACK_STATES[sd.status] ?? 'none';
        return { state: 'failed', reason: `service deployment ${sd.status}${reason}`, ecsRollback };
    }
    return judgeFromDeployments(target, snapshot.service);
}
function primaryIsOurs(target, service) {
    const primary = primaryTaskDefinition(service);
    if (primary && primary !== target.taskDefinitionArn) {
        return {
            state: 'failed',
            reason: `the deployment finished but the service's primary revision is ${primary}, not ${target.taskDefinitionArn}`,
            ecsRollback: 'none',
        };
    }
    return { state: 'succeeded' };
}
/** The rolling view, for services without a service deployment to read: deployments[] and rolloutState. */
function judgeFromDeployments(target, service) {
    const deployments = service?.deployments ?? [];
    const ours = target.deploymentId
        ? deployments.find((d) => d.id === target.deploymentId)
        : deployments.find((d) => d.taskDefinition === target.taskDefinitionArn);
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (!ours) {
        return {
            state: 'failed',
            reason: `the deployment is gone; the service now runs ${primary?.taskDefinition}`,
            ecsRollback: 'none',
        };
    }
    if (ours.rolloutState === 'FAILED') {
        const reason = `rollout FAILED${ours.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ''}`;
        const rollingBack = primary && primary !== ours && primary.taskDefinition !== target.taskDefinitionArn;
        const ecsRollback = !rollingBack
            ? 'none'
            : primary.rolloutState === 'COMPLETED'
                ? 'succeeded'
                : 'in-progress';
        return { state: 'failed', reason, ecsRollback };
    }
    if (ours.status !== 'PRIMARY') {
        return {
            state: 'failed',
            reason: `a newer deployment replaced it (${primary?.taskDefinition})`,
            ecsRollback: 'none',
        };
    }
    if (ours.rolloutState === 'COMPLETED')
        return { state: 'succeeded' };
    // Services without rollout states (no circuit breaker data): stable when ours is the only one and fully running.
    if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount)
        return { state: 'succeeded' };
    return { state: 'in-progress' };
}
/**
 * The revision a service is stable on right now, if it is: its only deployment is PRIMARY and COMPLETED. This is
 * the last known-good revision when read before a deploy (a circuit-breaker rollback leaves the rolled-back-to
 * deployment COMPLETED, so this holds after failed deploys too).
 */
function stableTaskDefinition(service) {
    const deployments = service?.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.rolloutState !== 'COMPLETED' || deployments.some((d) => d !== primary && d.runningCount)) {
        return undefined;
    }
    return primary.taskDefinition;
}
/**
 * The newest revision whose service deployment completed (SUCCESSFUL), skipping `exclude` (e.g. the revision being
 * replaced when it is the bad one) — never "revision − 1". Undefined when the history holds none.
 */
async function lastSuccessfulRevision(ecs, options) {
    const { cluster, service, before } = options;
    const listed = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .ListServiceDeploymentsCommand */ .jz8({
        cluster,
        service,
        status: ['SUCCESSFUL'],
        createdAt: before ? { before } : undefined,
        maxResults: 20,
    }));
    const briefs = (listed.serviceDeployments ?? [])
        .filter((b) => b.targetServiceRevisionArn)
        .sort((a, b) => (b.finishedAt ?? b.createdAt ?? new Date(0)).getTime() - (a.finishedAt ?? a.createdAt ?? new Date(0)).getTime());
    if (briefs.length === 0)
        return undefined;
    const revisions = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .DescribeServiceRevisionsCommand */ .oF5({
        serviceRevisionArns: briefs.map((b) => b.targetServiceRevisionArn),
    }));
    const taskDefinitionOf = new Map((revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
    return briefs
        .map((b) => taskDefinitionOf.get(b.targetServiceRevisionArn))
        .find((taskDefinition) => !!taskDefinition && !options.exclude?.includes(taskDefinition));
}
/**
 * Streams service events: remembers what was already seen and returns only new ones, oldest first. ECS lists events
 * newest first and keeps the last 100.
 */
class ServiceEventStream {
    seen = new Set();
    constructor(initial = []) {
        for (const event of initial)
            this.seen.add(eventKey(event));
    }
    next(events) {
        const fresh = (events ?? []).filter((event) => !this.seen.has(eventKey(event)));
        for (const event of fresh)
            this.seen.add(eventKey(event));
        return fresh.reverse();
    }
}
function eventKey(event) {
    return event.id ?? `${event.createdAt?.getTime()}:${event.message}`;
}


/***/ })

};
;