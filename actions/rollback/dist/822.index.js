"use strict";
exports.id = 822;
exports.ids = [822];
exports.modules = {

/***/ 822:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  planRollback: () => (/* binding */ planRollback)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./packages/shared/src/ecs-deployments.ts
var ecs_deployments = __webpack_require__(9131);
// EXTERNAL MODULE: ./packages/shared/src/ecs-diff.ts
var ecs_diff = __webpack_require__(916);
// EXTERNAL MODULE: ./packages/shared/src/ecs-names.ts
var ecs_names = __webpack_require__(6275);
// EXTERNAL MODULE: ./packages/shared/src/ecs-rollback-target.ts
var ecs_rollback_target = __webpack_require__(909);
// EXTERNAL MODULE: ./packages/shared/src/errors.ts
var errors = __webpack_require__(9680);
// EXTERNAL MODULE: ./packages/shared/src/inputs.ts
var inputs = __webpack_require__(7458);
;// CONCATENATED MODULE: ./packages/shared/src/ecs-rollback-resolve.ts






// Resolves a rollback target to a deployable revision from the service's deployment history — never
// "revision − 1", which is wrong whenever revisions were registered but not deployed, failed, or were redeployed
// unchanged. Only reads: every problem is a ConfigError naming the service, so a caller can resolve every service
// before changing any. Loads the ECS SDK: import lazily.
/** ListTaskDefinitions' page size: how many of the newest ACTIVE revisions an image-tag target looks through. */
const IMAGE_TAG_SEARCH_DEPTH = 100;
const DESCRIBE_CONCURRENCY = 10;
const REVISIONS_PER_CALL = 20;
const HISTORY_DEPTH = 20;
function serviceName(service) {
    return service.serviceName ?? service.serviceArn ?? 'unknown';
}
function unresolvable(service, reason) {
    return new errors/* ConfigError */.xL(`Service "${serviceName(service)}": ${reason}`);
}
async function taskDefinitionsOfRevisions(ecs, arns) {
    const unique = [...new Set(arns)];
    const result = new Map();
    for (let i = 0; i < unique.length; i += REVISIONS_PER_CALL) {
        const response = await ecs.send(new dist_cjs/* DescribeServiceRevisionsCommand */.oF5({ serviceRevisionArns: unique.slice(i, i + REVISIONS_PER_CALL) }));
        for (const revision of response.serviceRevisions ?? []) {
            if (revision.serviceRevisionArn && revision.taskDefinition) {
                result.set(revision.serviceRevisionArn, revision.taskDefinition);
            }
        }
    }
    return result;
}
async function toHistoryEntries(ecs, deployments) {
    const revisionArns = deployments.flatMap((sd) => [sd.targetServiceRevision?.arn, ...(sd.sourceServiceRevisions ?? []).map((r) => r.arn)].filter((arn) => !!arn));
    const taskDefinitionOf = revisionArns.length ? await taskDefinitionsOfRevisions(ecs, revisionArns) : new Map();
    const lookup = (arn) => (arn ? taskDefinitionOf.get(arn) : undefined);
    return deployments.map((sd) => ({
        serviceDeploymentArn: sd.serviceDeploymentArn ?? '',
        status: sd.status,
        createdAt: sd.createdAt,
        targetTaskDefinition: lookup(sd.targetServiceRevision?.arn),
        sourceTaskDefinitions: (sd.sourceServiceRevisions ?? [])
            .map((r) => lookup(r.arn))
            .filter((td) => !!td),
    }));
}
/** The service's current service deployment (DescribeServices' `currentServiceDeployment`), or undefined. */
async function describeCurrentDeployment(ecs, service) {
    const arn = service.currentServiceDeployment;
    if (!arn)
        return undefined;
    const response = await ecs.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: [arn] }));
    const sd = response.serviceDeployments?.[0];
    if (!sd)
        return undefined;
    const [entry] = await toHistoryEntries(ecs, [sd]);
    return { ...entry, serviceDeploymentArn: arn };
}
/** The service's most recent service deployments (up to 20), newest first. */
async function loadDeploymentHistory(ecs, cluster, service) {
    const listed = await ecs.send(new dist_cjs/* ListServiceDeploymentsCommand */.jz8({ cluster, service, maxResults: HISTORY_DEPTH }));
    const arns = (listed.serviceDeployments ?? []).flatMap((b) => b.serviceDeploymentArn ? [b.serviceDeploymentArn] : []);
    if (arns.length === 0)
        return [];
    const described = await ecs.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: arns }));
    const entries = await toHistoryEntries(ecs, described.serviceDeployments ?? []);
    return entries.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}
/** From deployments[] alone: an older deployment still listed (it runs, or ran until just now), if any. */
function olderDeploymentTaskDefinition(service) {
    const primary = (0,ecs_deployments/* primaryTaskDefinition */.hg)(service);
    return service.deployments?.find((d) => d.status !== 'PRIMARY' && d.taskDefinition && d.taskDefinition !== primary)
        ?.taskDefinition;
}
/** The revision a rollback moves away from: the one being deployed while a deployment is in flight, else the
 * service's primary revision. */
function currentTaskDefinition(subject) {
    const { current, service } = subject;
    if (current?.targetTaskDefinition && (0,ecs_rollback_target/* isInFlightStatus */.Cb)(current.status))
        return current.targetTaskDefinition;
    return (0,ecs_deployments/* primaryTaskDefinition */.hg)(service);
}
const NO_HISTORY_HINT = 'set target to a revision number (42), family:revision, a task definition ARN or image:<tag> instead.';
const OLDER_DEPLOYMENT = 'the older deployment still listed (no service-deployment history)';
async function lastKnownGood(ecs, subject) {
    const { cluster, service, current } = subject;
    // The current deployment's target is excluded: whether it succeeded, failed or is still going, it is what the
    // rollback moves away from. So is the primary revision, unless ECS itself is rolling back (or rolled back) to it.
    // Only deployments created before the current one count.
    const ecsRolledBack = current?.status?.startsWith('ROLLBACK') ?? false;
    const exclude = [current?.targetTaskDefinition, ecsRolledBack ? undefined : (0,ecs_deployments/* primaryTaskDefinition */.hg)(service)].filter((td) => !!td);
    const arn = await (0,ecs_deployments/* lastSuccessfulRevision */.A0)(ecs, {
        cluster,
        service: serviceName(service),
        exclude,
        before: current?.createdAt,
    });
    if (arn)
        return { arn, basis: 'the last revision whose deployment completed before the current one' };
    const older = olderDeploymentTaskDefinition(service);
    if (older)
        return { arn: older, basis: OLDER_DEPLOYMENT };
    throw unresolvable(service, 'no other revision completed a deployment before the current one (ListServiceDeployments holds no SUCCESSFUL ' +
        `deployment of another revision), so there is no last known-good revision; ${NO_HISTORY_HINT}`);
}
async function previous(ecs, subject) {
    const { cluster, service } = subject;
    const current = currentTaskDefinition(subject);
    const history = await loadDeploymentHistory(ecs, cluster, serviceName(service));
    const arn = current ? (0,ecs_rollback_target/* previousTaskDefinition */.A1)(history, current) : undefined;
    if (arn)
        return { arn, basis: `the revision that ran before ${(0,ecs_names/* shortTaskDefinition */.P5)(current)} was deployed` };
    const older = olderDeploymentTaskDefinition(service);
    if (older)
        return { arn: older, basis: OLDER_DEPLOYMENT };
    throw unresolvable(service, `the deployment history does not say which revision ran before ${(0,ecs_names/* shortTaskDefinition */.P5)(current)}; ${NO_HISTORY_HINT}`);
}
/** DescribeTaskDefinition with its tags; an unknown revision (ECS: ClientException) gives no task definition. */
async function describeTaskDefinitionWithTags(ecs, reference) {
    try {
        const response = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: reference, include: ['TAGS'] }));
        return { taskDefinition: response.taskDefinition, tags: response.tags ?? [] };
    }
    catch (error) {
        if ((0,errors/* isError */.bJ)(error) && error.name === 'ClientException')
            return { tags: [] };
        throw error;
    }
}
async function newestWithImageTag(ecs, family, tag) {
    const listed = await ecs.send(new dist_cjs/* ListTaskDefinitionsCommand */.Pse({
        familyPrefix: family,
        status: 'ACTIVE',
        sort: 'DESC',
        maxResults: IMAGE_TAG_SEARCH_DEPTH,
    }));
    const arns = listed.taskDefinitionArns ?? [];
    // Newest first, a few at a time, stopping at the first batch that holds a match.
    for (let i = 0; i < arns.length; i += DESCRIBE_CONCURRENCY) {
        const batch = await Promise.all(arns.slice(i, i + DESCRIBE_CONCURRENCY).map((arn) => describeTaskDefinitionWithTags(ecs, arn)));
        const match = batch.find(({ taskDefinition }) => taskDefinition?.containerDefinitions?.some((c) => c.image && (0,ecs_names/* imageHasTag */.KF)(c.image, tag)));
        if (match?.taskDefinition?.taskDefinitionArn)
            return match.taskDefinition.taskDefinitionArn;
    }
    return undefined;
}
async function candidate(ecs, subject, target, family) {
    const { service } = subject;
    switch (target.kind) {
        case 'last-known-good':
            return lastKnownGood(ecs, subject);
        case 'previous':
            return previous(ecs, subject);
        case 'revision':
            return { arn: `${family}:${target.revision}`, basis: `revision ${target.revision}, as asked` };
        case 'task-definition': {
            const other = (0,ecs_names/* taskDefinitionFamily */.dm)(target.reference);
            if (other !== family) {
                throw unresolvable(service, `target ${(0,inputs/* quote */.hD)(target.reference)} is a revision of family "${other}", but the service runs family ` +
                    `"${family}"; a rollback stays within the service's family.`);
            }
            return { arn: target.reference, basis: 'the task definition asked for' };
        }
        case 'image-tag': {
            const arn = await newestWithImageTag(ecs, family, target.tag);
            if (arn)
                return { arn, basis: `the newest ACTIVE revision running an image tagged ${target.tag}` };
            throw unresolvable(service, `none of the ${IMAGE_TAG_SEARCH_DEPTH} newest ACTIVE revisions of family "${family}" runs an image tagged ` +
                `${(0,inputs/* quote */.hD)(target.tag)}.`);
        }
    }
}
/**
 * Resolves and describes the revision `target` names for one service, checking that ECS can deploy it (it exists,
 * is ACTIVE, belongs to the service's family). Throws a ConfigError naming the service when it cannot.
 */
async function resolveRollbackTarget(ecs, subject, target) {
    const { service } = subject;
    const current = currentTaskDefinition(subject);
    const family = current ? (0,ecs_names/* taskDefinitionFamily */.dm)(current) : undefined;
    if (!current || !family)
        throw unresolvable(service, `its current task definition (${current}) cannot be read.`);
    const { arn, basis } = await candidate(ecs, subject, target, family);
    const { taskDefinition, tags } = await describeTaskDefinitionWithTags(ecs, arn);
    if (!taskDefinition?.taskDefinitionArn) {
        throw unresolvable(service, `task definition ${(0,ecs_names/* shortTaskDefinition */.P5)(arn)} does not exist (${basis}).`);
    }
    if (taskDefinition.status !== 'ACTIVE') {
        throw unresolvable(service, `${(0,ecs_names/* shortTaskDefinition */.P5)(taskDefinition.taskDefinitionArn)} (${basis}) is ${taskDefinition.status}: ECS cannot ` +
            'deploy a deregistered revision. Register it again, or choose another target.');
    }
    return { taskDefinition: taskDefinition, tags, basis };
}

// EXTERNAL MODULE: ./actions/rollback/src/report.ts
var src_report = __webpack_require__(8322);
;// CONCATENATED MODULE: ./actions/rollback/src/plan.ts








const SERVICES_PER_CALL = 10;
function gitSha(tags) {
    return tags.find((tag) => tag.key === src_report/* GIT_SHA_TAG */.Rw)?.value || undefined;
}
async function describeServices(ecs, cluster, names) {
    const found = new Map();
    for (let i = 0; i < names.length; i += SERVICES_PER_CALL) {
        const batch = names.slice(i, i + SERVICES_PER_CALL);
        let response;
        try {
            response = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: batch }));
        }
        catch (error) {
            if ((0,errors/* isError */.bJ)(error) && error.name === 'ClusterNotFoundException') {
                throw new errors/* ConfigError */.xL(`Cluster "${cluster}" does not exist (in this account and region).`);
            }
            throw error;
        }
        for (const service of response.services ?? []) {
            const name = batch.find((n) => n === service.serviceName || n === service.serviceArn);
            if (name)
                found.set(name, service);
        }
    }
    return found;
}
async function planService(ecs, cluster, entry, service, target) {
    if (!service || service.status !== 'ACTIVE') {
        const state = service ? `is ${service.status}` : 'was not found';
        throw new errors/* ConfigError */.xL(`Service "${entry.service}" ${state} in cluster "${cluster}".`);
    }
    const current = await describeCurrentDeployment(ecs, service);
    const resolved = await resolveRollbackTarget(ecs, { cluster, service, current }, target);
    const fromArn = currentTaskDefinition({ service, current });
    const from = fromArn ? await describeTaskDefinitionWithTags(ecs, fromArn) : { tags: [] };
    const toArn = resolved.taskDefinition.taskDefinitionArn;
    const method = (0,ecs_rollback_target/* chooseRollbackMethod */.VC)(toArn, (0,ecs_deployments/* primaryTaskDefinition */.hg)(service), current);
    Object.assign(entry, {
        fromArn,
        toArn,
        basis: resolved.basis,
        method,
        fromGitSha: gitSha(from.tags),
        toGitSha: gitSha(resolved.tags),
        changes: (0,ecs_diff/* diffTaskDefinitions */.n2)(from.taskDefinition, resolved.taskDefinition),
        result: method === 'none' ? 'unchanged' : 'planned',
    });
    return { entry, target: resolved, current, events: service.events ?? [] };
}
/** Resolves every service's target (in parallel) and prints the plan; throws one ConfigError naming every service
 * that cannot be resolved. */
async function planRollback(ecs, inputs, report) {
    const services = await describeServices(ecs, inputs.cluster, report.services.map((s) => s.service));
    const settled = await Promise.allSettled(report.services.map((entry) => planService(ecs, inputs.cluster, entry, services.get(entry.service), inputs.target)));
    const unexpected = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof errors/* ConfigError */.xL));
    if (unexpected?.status === 'rejected')
        throw unexpected.reason;
    const problems = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason.message] : []));
    if (problems.length === 1)
        throw new errors/* ConfigError */.xL(`${problems[0]} Nothing was changed.`);
    if (problems.length > 1) {
        throw new errors/* ConfigError */.xL(`Target "${report.target}" cannot be resolved for ${problems.length} of ${settled.length} services; nothing ` +
            `was changed.\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    const plans = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    core.info(`Rollback plan for cluster "${inputs.cluster}", target ${report.target}:`);
    for (const plan of plans)
        for (const line of (0,src_report/* planLines */.HN)(plan.entry))
            core.info(`  ${line}`);
    return plans;
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