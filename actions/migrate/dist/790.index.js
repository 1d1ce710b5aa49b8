"use strict";
exports.id = 790;
exports.ids = [790,289];
exports.modules = {

/***/ 2790:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  migrateOnEcs: () => (/* binding */ migrateOnEcs)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var dist_cjs = __webpack_require__(2684);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./packages/shared/src/aws.ts + 2 modules
var aws = __webpack_require__(7947);
// EXTERNAL MODULE: ./packages/shared/src/duration.ts
var duration = __webpack_require__(6291);
// EXTERNAL MODULE: ./packages/shared/src/errors.ts
var errors = __webpack_require__(9680);
// EXTERNAL MODULE: ./packages/shared/src/log.ts
var log = __webpack_require__(3133);
// EXTERNAL MODULE: ./packages/shared/src/poll.ts + 1 modules
var poll = __webpack_require__(7971);
;// CONCATENATED MODULE: ./packages/shared/src/task-logs.ts

/**
 * The log stream of a container, from the task definition's awslogs options: `<awslogs-stream-prefix>/<container
 * name>/<task id>` in `awslogs-group`. Undefined when the container does not use awslogs or has no stream prefix
 * (then the stream is named after the Docker container id, which ECS does not report).
 */
function awslogsLocation(taskDefinition, containerName, taskArn) {
    const container = taskDefinition.containerDefinitions?.find((c) => c.name === containerName);
    const config = container?.logConfiguration;
    if (config?.logDriver !== 'awslogs')
        return undefined;
    const group = config.options?.['awslogs-group'];
    const prefix = config.options?.['awslogs-stream-prefix'];
    if (!group || !prefix)
        return undefined;
    const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
    return { group, stream: `${prefix}/${containerName}/${taskId}`, region: config.options?.['awslogs-region'] };
}
function describeLocation(location) {
    return `${location.group} › ${location.stream}`;
}
function isMissingStream(error) {
    return error instanceof Error && error.name === 'ResourceNotFoundException';
}
/** The last `limit` lines of a stream, oldest first; [] when the stream does not exist (the container never ran). */
async function tailLogLines(client, location, limit) {
    try {
        const response = await client.send(new GetLogEventsCommand({
            logGroupName: location.group,
            logStreamName: location.stream,
            limit,
            startFromHead: false,
        }));
        return (response.events ?? []).map((event) => (event.message ?? '').replace(/\n$/, '')).slice(-limit);
    }
    catch (error) {
        if (isMissingStream(error))
            return [];
        throw error;
    }
}
/**
 * Follows one stream from its beginning: each `next()` returns the lines written since the previous call, reading
 * every page (GetLogEvents' nextForwardToken is unchanged once the end is reached). A stream that does not exist
 * yet (the container has not started) yields no lines.
 */
class LogFollower {
    client;
    location;
    token;
    constructor(client, location) {
        this.client = client;
        this.location = location;
    }
    async next(signal) {
        const lines = [];
        for (;;) {
            let response;
            try {
                response = await this.client.send(new dist_cjs/* GetLogEventsCommand */.h7S({
                    logGroupName: this.location.group,
                    logStreamName: this.location.stream,
                    startFromHead: true,
                    nextToken: this.token,
                }), { abortSignal: signal });
            }
            catch (error) {
                if (isMissingStream(error))
                    return lines;
                throw error;
            }
            for (const event of response.events ?? [])
                lines.push((event.message ?? '').replace(/\n$/, ''));
            const previous = this.token;
            this.token = response.nextForwardToken ?? previous;
            if (!response.events?.length || this.token === previous)
                return lines;
        }
    }
}

// EXTERNAL MODULE: ./actions/migrate/src/constants.ts
var constants = __webpack_require__(9528);
// EXTERNAL MODULE: ./actions/migrate/src/summary.ts
var summary = __webpack_require__(5253);
;// CONCATENATED MODULE: ./actions/migrate/src/guard.ts






/**
 * Refuses to start while another task of the same startedBy group is PENDING or RUNNING, or waits for it when
 * concurrency-policy is `wait`. Two runs checking at the same instant can both pass: the workflow's `concurrency`
 * group and the migration tool's own lock remain the real guarantees.
 */
async function guardConcurrency(ecs, inputs, options = {}) {
    const running = await runningTasks(ecs, inputs);
    if (running.length === 0) {
        core.info(`No other task started by "${inputs.startedBy}" is running in cluster ${inputs.cluster}.`);
        return;
    }
    const list = running.join(', ');
    if (inputs.concurrencyPolicy === 'refuse') {
        throw new errors/* DeploymentFailure */.S(`another migration started by "${inputs.startedBy}" is still running in cluster ${inputs.cluster}: ${list}`, `Wait for it to finish, stop it, or set ${constants/* Inputs */.G0.ConcurrencyPolicy}: wait to queue behind it.`);
    }
    core.info(`Waiting for ${list} (started by "${inputs.startedBy}") to stop before migrating.`);
    await (0,poll/* poll */.wt)({
        describe: (signal) => runningTasks(ecs, inputs, signal),
        isDone: (tasks) => tasks.length === 0,
        onProgress: ({ state, elapsedMs }) => core.info(`Still running after ${(0,summary/* formatSeconds */.Xo)(elapsedMs)}: ${state.join(', ')}`),
        fingerprint: (tasks) => tasks.join(','),
        timeoutMs: inputs.timeoutMs,
        signal: options.signal,
        clock: options.clock,
        minIntervalMs: 5_000,
        maxIntervalMs: 30_000,
        waitingFor: `the other migration started by "${inputs.startedBy}" to stop`,
    });
}
/**
 * ListTasks allows startedBy only as its sole filter; its default desired-status filter, RUNNING, covers tasks
 * still PENDING too, which is what counts here.
 */
async function runningTasks(ecs, inputs, signal) {
    const arns = [];
    let nextToken;
    do {
        const page = await ecs.send(new client_ecs_dist_cjs/* ListTasksCommand */.MYg({ cluster: inputs.cluster, startedBy: inputs.startedBy, nextToken }), {
            abortSignal: signal,
        });
        arns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return arns;
}

;// CONCATENATED MODULE: ./actions/migrate/src/outcome.ts
/**
 * Exit code 0 of the migration container is success, whatever a sidecar did; a non-zero exit code is failure; no
 * exit code means the container never ran to completion, and the task's stop code and reason say why. The container
 * is found by name: `containers[0]` may be a sidecar.
 */
function judgeTask(task, containerName) {
    const container = task.containers?.find((candidate) => candidate.name === containerName);
    const stop = stopDescription(task);
    if (container?.exitCode === 0)
        return { status: 'succeeded', exitCode: 0 };
    if (container?.exitCode !== undefined && container.exitCode !== null) {
        const details = [container.reason, stop].filter(Boolean).join('; ');
        const reason = `container "${containerName}" exited with code ${container.exitCode}${details ? ` (${details})` : ''}`;
        return { status: 'failed', exitCode: container.exitCode, reason };
    }
    const details = [container?.reason, stop].filter(Boolean).join('; ') || 'no reason given';
    const subject = container ? `container "${containerName}"` : `the task has no container "${containerName}" and`;
    return { status: 'not-run', reason: `${subject} stopped without an exit code: ${details}` };
}
/** `TaskFailedToStart: CannotPullContainerError: …`, or undefined for a task not stopped yet. */
function stopDescription(task) {
    const parts = [task.stopCode, task.stoppedReason].filter(Boolean);
    return parts.length ? parts.join(': ') : undefined;
}
/** RunTask's `failures[]` (returned with HTTP 200) as one sentence per failure. */
function describeRunTaskFailures(failures) {
    return failures
        .map((failure) => {
        const what = [failure.reason, failure.detail].filter(Boolean).join(': ') || 'unknown reason';
        return failure.arn ? `${what} (${failure.arn})` : what;
    })
        .join('; ');
}

// EXTERNAL MODULE: ./actions/migrate/src/output.ts
var output = __webpack_require__(9560);
// EXTERNAL MODULE: ./packages/shared/src/inputs.ts
var src_inputs = __webpack_require__(7458);
// EXTERNAL MODULE: ./actions/migrate/src/run-task.ts
var run_task = __webpack_require__(8336);
;// CONCATENATED MODULE: ./actions/migrate/src/prepare.ts





/**
 * Reads the task definition (and the service to copy from) and refuses, before anything is started, what ECS
 * would refuse or run wrongly: a container the task definition does not have, an awsvpc task without subnets.
 */
async function prepare(ecs, inputs) {
    const { taskDefinition } = await ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: inputs.taskDefinition }));
    if (!taskDefinition)
        throw new errors/* ConfigError */.xL(`Task definition ${(0,src_inputs/* quote */.hD)(inputs.taskDefinition)} was not found.`);
    const name = `${taskDefinition.family}:${taskDefinition.revision}`;
    const containers = taskDefinition.containerDefinitions ?? [];
    const container = containers.find((candidate) => candidate.name === inputs.container);
    if (!container) {
        const names = containers.map((candidate) => (0,src_inputs/* quote */.hD)(candidate.name ?? '')).join(', ') || 'none';
        throw new errors/* ConfigError */.xL(`Input "${constants/* Inputs */.G0.Container}" names ${(0,src_inputs/* quote */.hD)(inputs.container)}, which task definition ${name} does not have; ` +
            `its containers are ${names}.`);
    }
    const service = inputs.copyFromService ? await describeService(ecs, inputs, inputs.copyFromService) : undefined;
    const placement = (0,run_task/* resolvePlacement */.ep)(inputs, service);
    if (taskDefinition.networkMode === 'awsvpc' && !placement.awsvpcConfiguration) {
        throw new errors/* ConfigError */.xL(`Task definition ${name} uses network mode awsvpc, so the task needs subnets: set "${constants/* Inputs */.G0.Subnets}" ` +
            `(and "${constants/* Inputs */.G0.SecurityGroups}"), or "${constants/* Inputs */.G0.CopyFromService}" to run it in the network of the app's service.`);
    }
    const command = inputs.command ?? container.command;
    return {
        taskDefinition,
        placement,
        command: command ? JSON.stringify(command) : `the entry point of image ${container.image ?? 'unknown'}`,
    };
}
async function describeService(ecs, inputs, serviceName) {
    const { services, failures } = await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster: inputs.cluster, services: [serviceName] }));
    const service = services?.find((candidate) => candidate.status !== 'INACTIVE');
    if (!service) {
        const reason = failures?.[0]?.reason ?? services?.[0]?.status ?? 'MISSING';
        throw new errors/* ConfigError */.xL(`Input "${constants/* Inputs */.G0.CopyFromService}" names service ${(0,src_inputs/* quote */.hD)(serviceName)}, which cluster ${(0,src_inputs/* quote */.hD)(inputs.cluster)} ` +
            `does not have (${reason}).`);
    }
    return service;
}

// EXTERNAL MODULE: ./actions/migrate/src/snapshot.ts
var src_snapshot = __webpack_require__(7289);
;// CONCATENATED MODULE: ./actions/migrate/src/watch.ts






/** RunTask; `failures[]` arrive with HTTP 200 and mean nothing was started. */
async function startTask(ecs, input) {
    const { tasks, failures } = await ecs.send(new client_ecs_dist_cjs/* RunTaskCommand */._eD(input));
    const task = tasks?.[0];
    if (failures?.length || !task?.taskArn) {
        throw new errors/* DeploymentFailure */.S(`ECS started no task: ${describeRunTaskFailures(failures ?? [])}`);
    }
    return task;
}
/**
 * Waits for the task to be STOPPED, printing the container's new log lines on every check. It never waits for
 * RUNNING first: a task whose image cannot be pulled goes from PENDING straight to STOPPED. New lines or a new
 * status make the next check come sooner.
 */
async function waitForStop(ecs, options) {
    let linesSeen = 0;
    let lastStatus;
    let lines = options.lines;
    const readLines = async (signal) => {
        let batch = [];
        try {
            batch = (await lines?.next(signal)) ?? [];
        }
        catch (error) {
            if (signal?.aborted)
                throw error;
            // The log is a convenience; the exit code decides. Losing it must not fail (or hide) the migration.
            core.warning(`Stopped streaming the container's log: ${(0,errors/* describeError */.Uc)(error)}. The exit code still decides.`);
            lines = undefined;
        }
        (0,output/* printUntrusted */.Qi)(batch);
        options.lastLines.push(batch);
        linesSeen += batch.length;
    };
    const observed = await (0,poll/* poll */.wt)({
        describe: async (signal) => {
            const task = await describeTask(ecs, options.cluster, options.taskArn, signal);
            if (task.lastStatus !== lastStatus)
                core.info(`Task ${taskId(options.taskArn)} is ${task.lastStatus}.`);
            lastStatus = task.lastStatus;
            await readLines(signal);
            return { task, linesSeen };
        },
        isDone: ({ task }) => task.lastStatus === 'STOPPED',
        fingerprint: ({ task, linesSeen: seen }) => `${task.lastStatus}/${seen}`,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        clock: options.clock,
        minIntervalMs: 2_000,
        maxIntervalMs: 10_000,
        waitingFor: `task ${taskId(options.taskArn)} to stop`,
    });
    // awslogs delivers asynchronously: lines written just before the exit may land after STOPPED is reported.
    await readLines(options.signal);
    return observed.task;
}
async function describeTask(ecs, cluster, taskArn, signal) {
    const { tasks, failures } = await ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: [taskArn] }), {
        abortSignal: signal,
    });
    const task = tasks?.[0];
    if (!task) {
        throw new errors/* DeploymentFailure */.S(`task ${taskArn} can no longer be described: ${describeRunTaskFailures(failures ?? [])}`);
    }
    return task;
}
/** StopTask; the reason (≤ 255 characters) shows in the console and in DescribeTasks' stoppedReason. */
async function stopTask(ecs, cluster, taskArn, reason) {
    await ecs.send(new client_ecs_dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason: reason.slice(0, 255) }));
    core.info(`Stopped task ${taskArn}: ${reason}`);
}
function taskId(taskArn) {
    return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

;// CONCATENATED MODULE: ./actions/migrate/src/ecs-mode.ts


















// Loads the ECS and CloudWatch Logs SDKs: main imports this module only once the inputs are valid.
/** Checks, guard, snapshot, RunTask, then follows the task to STOPPED and judges the migration container. */
async function migrateOnEcs(inputs, context) {
    const { report, signal } = context;
    const region = (0,aws/* resolveRegion */.Zv)(inputs.region);
    const ecs = (0,aws/* createClient */.UU)(client_ecs_dist_cjs/* ECSClient */.Zgc, { action: constants/* ACTION */.hr, region });
    const prepared = await (0,log/* group */.O)('Check the task definition', () => prepare(ecs, inputs));
    report.command = prepared.command;
    await (0,log/* group */.O)('Check for another migration', () => guardConcurrency(ecs, inputs, { signal }));
    const snapshot = inputs.snapshot;
    if (snapshot) {
        await (0,log/* group */.O)(`Snapshot ${snapshot.db}`, () => (0,src_snapshot.snapshotBeforeMigrating)(snapshot, report, { region, signal }));
    }
    const startedAt = Date.now();
    const task = await (0,log/* group */.O)('Start the migration task', () => start(ecs, inputs, prepared, context, region));
    const taskArn = task.taskArn;
    const follower = followLog(prepared, inputs, taskArn, region, report);
    const lastLines = new output/* LastLines */.UR(inputs.logLines);
    // Not in a group: the migration's own output is what the reader of this log came for.
    core.info(`Following task ${taskId(taskArn)} until it stops (timeout ${(0,duration/* formatDuration */.a)(inputs.timeoutMs)}).`);
    let stopped;
    try {
        stopped = await waitForStop(ecs, {
            cluster: inputs.cluster,
            taskArn,
            timeoutMs: inputs.timeoutMs,
            lines: follower,
            lastLines,
            signal,
        });
    }
    catch (error) {
        report.lastLines = lastLines.lines;
        report.durationMs = Date.now() - startedAt;
        if (error instanceof poll/* PollTimeoutError */.t5) {
            const reason = `shipyard migrate: no exit within the timeout of ${(0,duration/* formatDuration */.a)(inputs.timeoutMs)}`;
            await stopTask(ecs, inputs.cluster, taskArn, reason);
            core.saveState(constants/* State */.Uw.TaskSettled, 'true');
            showLastLines(report.lastLines, inputs.container);
            throw new errors/* DeploymentFailure */.S(`the migration did not finish within ${(0,duration/* formatDuration */.a)(inputs.timeoutMs)}; task ${taskArn} was stopped`);
        }
        if (error instanceof poll/* PollCancelledError */.xJ)
            core.info(`The post step of this action stops task ${taskArn}.`);
        throw error;
    }
    core.saveState(constants/* State */.Uw.TaskSettled, 'true');
    judge(stopped, inputs, report, lastLines, Date.now() - startedAt);
}
async function start(ecs, inputs, prepared, context, region) {
    const { report, run } = context;
    const definition = `${prepared.taskDefinition.family}:${prepared.taskDefinition.revision}`;
    core.info(`Running ${prepared.command} in container "${inputs.container}" of ${definition} on ${inputs.cluster}.`);
    const task = await startTask(ecs, (0,run_task/* buildRunTaskInput */.Lq)({ inputs, placement: prepared.placement, tags: (0,run_task/* taskTags */.Hn)(run) }));
    const taskArn = task.taskArn;
    // Saved at once: if the run is cancelled from here on, the post step stops this task.
    core.saveState(constants/* State */.Uw.TaskArn, taskArn);
    core.saveState(constants/* State */.Uw.Cluster, inputs.cluster);
    core.saveState(constants/* State */.Uw.Region, region);
    report.taskArn = taskArn;
    report.taskUrl =
        `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(inputs.cluster)}` +
            `/tasks/${taskId(taskArn)}/configuration?region=${region}`;
    core.info(`Task: ${taskArn}`);
    core.info(`Console: ${report.taskUrl}`);
    return task;
}
/** Starts following the migration container's awslogs stream, or says why its output cannot be shown. */
function followLog(prepared, inputs, taskArn, region, report) {
    const location = awslogsLocation(prepared.taskDefinition, inputs.container, taskArn);
    if (!location) {
        core.warning(`Container "${inputs.container}" does not log through awslogs with a stream prefix, so its output cannot be ` +
            'shown here; only its exit code is judged.');
        return undefined;
    }
    report.logGroup = location.group;
    report.logStream = location.stream;
    // Printed and set as outputs at once: a stopped task vanishes from the ECS API after about an hour.
    core.info(`Log stream: ${location.stream} in log group ${location.group}`);
    (0,summary/* setOutputs */.n0)(report);
    const logs = (0,aws/* createClient */.UU)(dist_cjs/* CloudWatchLogsClient */.TFr, { action: constants/* ACTION */.hr, region: location.region ?? region });
    return new LogFollower(logs, location);
}
function judge(stopped, inputs, report, lastLines, measuredMs) {
    const outcome = judgeTask(stopped, inputs.container);
    report.lastLines = lastLines.lines;
    report.durationMs =
        stopped.createdAt && stopped.stoppedAt ? stopped.stoppedAt.getTime() - stopped.createdAt.getTime() : measuredMs;
    report.exitCode = outcome.status === 'not-run' ? undefined : outcome.exitCode;
    core.info(`Task ${taskId(report.taskArn ?? '')} stopped: ${stopDescription(stopped) ?? 'no stop reason given'}.`);
    if (outcome.status === 'succeeded') {
        core.info(`Container "${inputs.container}" exited with code 0 after ${(0,summary/* formatSeconds */.Xo)(report.durationMs)}.`);
        return;
    }
    showLastLines(report.lastLines, inputs.container);
    throw new errors/* DeploymentFailure */.S(outcome.reason);
}
/** Repeats the end of the log next to the failure, where the reader looks first. */
function showLastLines(lines, container) {
    if (lines.length === 0)
        return;
    core.info(`Last ${lines.length} log lines of container "${container}":`);
    (0,output/* printUntrusted */.Qi)(lines);
}


/***/ }),

/***/ 9560:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qi: () => (/* binding */ printUntrusted),
/* harmony export */   UR: () => (/* binding */ LastLines),
/* harmony export */   g3: () => (/* binding */ LineSplitter)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);

const stdout = (text) => void process.stdout.write(text);
/**
 * Prints lines that come from elsewhere (a container's CloudWatch log) between stop-commands markers, so a line
 * such as `::add-mask::` or `::set-env` written by the migration is shown, never executed by the runner.
 */
function printUntrusted(lines, write = stdout) {
    if (lines.length === 0)
        return;
    const token = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)();
    write(`::stop-commands::${token}\n${lines.map((line) => `${line}\n`).join('')}::${token}::\n`);
}
/** Keeps the last `limit` lines seen: what a failure shows again and the job summary quotes. */
class LastLines {
    limit;
    kept = [];
    constructor(limit) {
        this.limit = limit;
    }
    push(lines) {
        this.kept.push(...lines);
        if (this.kept.length > this.limit)
            this.kept.splice(0, this.kept.length - this.limit);
    }
    get lines() {
        return [...this.kept];
    }
}
/** Cuts a byte stream into complete lines (without `\n` or `\r\n`); flush() hands over an unterminated last line. */
class LineSplitter {
    onLine;
    pending = '';
    constructor(onLine) {
        this.onLine = onLine;
    }
    write(chunk) {
        const parts = (this.pending + chunk).split('\n');
        this.pending = parts.pop() ?? '';
        for (const part of parts)
            this.onLine(part.replace(/\r$/, ''));
    }
    flush() {
        if (this.pending !== '')
            this.onLine(this.pending.replace(/\r$/, ''));
        this.pending = '';
    }
}


/***/ }),

/***/ 7289:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   snapshotBeforeMigrating: () => (/* binding */ snapshotBeforeMigrating)
/* harmony export */ });
/* unused harmony exports takeSnapshot, restoreCommand */
/* harmony import */ var _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7202);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _shipyard_shared_aws__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7947);
/* harmony import */ var _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9680);
/* harmony import */ var _shipyard_shared_poll__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7971);
/* harmony import */ var _constants__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9528);
/* harmony import */ var _summary__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5253);







// Statuses after which the snapshot will never become available.
const DEAD_STATUSES = new Set(['failed', 'error', 'deleting', 'deleted', 'incompatible-restore']);
/** CreateDBSnapshot / CreateDBClusterSnapshot, then waits until the snapshot is `available`. */
async function takeSnapshot(request, options) {
    const rds = (0,_shipyard_shared_aws__WEBPACK_IMPORTED_MODULE_1__/* .createClient */ .UU)(_aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_6__/* .RDSClient */ .rYe, { action: _constants__WEBPACK_IMPORTED_MODULE_4__/* .ACTION */ .hr, region: options.region });
    const what = request.kind === 'cluster' ? 'DB cluster snapshot' : 'DB snapshot';
    if (request.kind === 'cluster') {
        await rds.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_6__/* .CreateDBClusterSnapshotCommand */ .Iv4({
            DBClusterIdentifier: request.db,
            DBClusterSnapshotIdentifier: request.id,
        }));
    }
    else {
        await rds.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_6__/* .CreateDBSnapshotCommand */ .SQw({ DBInstanceIdentifier: request.db, DBSnapshotIdentifier: request.id }));
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`Creating ${what} ${request.id} of ${request.db}.`);
    options.onCreated?.(request.id);
    let lastReported = '';
    return (0,_shipyard_shared_poll__WEBPACK_IMPORTED_MODULE_3__/* .poll */ .wt)({
        describe: (signal) => describeSnapshot(rds, request, signal),
        isDone: (state) => {
            if (DEAD_STATUSES.has(state.status)) {
                throw new _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_2__/* .DeploymentFailure */ .S(`${what} ${request.id} turned ${state.status} instead of available`);
            }
            return state.status === 'available';
        },
        onProgress: ({ state, elapsedMs }) => {
            const line = `${state.status}${state.percentProgress === undefined ? '' : ` ${state.percentProgress}%`}`;
            if (line !== lastReported)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`${what} ${request.id}: ${line} (${(0,_summary__WEBPACK_IMPORTED_MODULE_5__/* .formatSeconds */ .Xo)(elapsedMs)})`);
            lastReported = line;
        },
        fingerprint: (state) => state.status,
        timeoutMs: request.timeoutMs,
        signal: options.signal,
        clock: options.clock,
        minIntervalMs: 5_000,
        maxIntervalMs: 30_000,
        waitingFor: `${what} ${request.id} to become available`,
    });
}
async function describeSnapshot(rds, request, signal) {
    if (request.kind === 'cluster') {
        const { DBClusterSnapshots } = await rds.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_6__/* .DescribeDBClusterSnapshotsCommand */ .cWV({ DBClusterSnapshotIdentifier: request.id }), { abortSignal: signal });
        const snapshot = DBClusterSnapshots?.[0];
        return {
            status: snapshot?.Status ?? 'unknown',
            percentProgress: snapshot?.PercentProgress,
            engine: snapshot?.Engine,
        };
    }
    const { DBSnapshots } = await rds.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_6__/* .DescribeDBSnapshotsCommand */ .KKI({ DBSnapshotIdentifier: request.id }), {
        abortSignal: signal,
    });
    const snapshot = DBSnapshots?.[0];
    return {
        status: snapshot?.Status ?? 'unknown',
        percentProgress: snapshot?.PercentProgress,
        engine: snapshot?.Engine,
    };
}
/** The AWS CLI command that restores the snapshot into a new database next to the migrated one. */
function restoreCommand(request, engine) {
    const target = `${request.db.slice(0, 54).replace(/-+$/, '')}-restored`;
    if (request.kind === 'cluster') {
        return (`aws rds restore-db-cluster-from-snapshot --db-cluster-identifier ${target} ` +
            `--snapshot-identifier ${request.id} --engine ${engine ?? '<engine>'}`);
    }
    return `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier ${target} --db-snapshot-identifier ${request.id}`;
}
/** The snapshot phase of either mode: takes the snapshot and records it in the report as soon as it exists. */
async function snapshotBeforeMigrating(request, report, options) {
    const { engine } = await takeSnapshot(request, {
        ...options,
        onCreated: (id) => {
            report.snapshot = { id, kind: request.kind, db: request.db, available: false };
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.setOutput(_constants__WEBPACK_IMPORTED_MODULE_4__/* .Outputs */ .tY.SnapshotId, id);
        },
    });
    const restore = restoreCommand(request, engine);
    report.snapshot = { id: request.id, kind: request.kind, db: request.db, available: true, restore };
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`Snapshot ${request.id} is available. To restore it into a new database: ${restore}`);
}


/***/ }),

/***/ 7947:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  UU: () => (/* binding */ createClient),
  Zv: () => (/* binding */ resolveRegion)
});

// UNUSED EXPORTS: iamOperationName

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


/***/ }),

/***/ 3133:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ group)
/* harmony export */ });
/* unused harmony export annotateError */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9680);


let openGroups = 0;
/**
 * Runs one phase of an action inside a collapsible log group, closed in `finally` so a failing phase does not
 * swallow the lines after it. GitHub cannot nest groups (a new one silently closes the open one), so a group
 * started inside another becomes a plain heading line.
 */
async function group(name, fn) {
    if (openGroups > 0) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`▸ ${name}`);
        return fn();
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.startGroup(name);
    openGroups++;
    try {
        return await fn();
    }
    finally {
        openGroups--;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.endGroup();
    }
}
/**
 * An error annotation (shown on the run's summary page and, with `file`/`startLine`, on the diff). An Error or an
 * AWS SDK error is described in one line, the way runAction would.
 */
function annotateError(problem, properties) {
    core.error(typeof problem === 'string' ? problem : describeError(problem), properties);
}


/***/ })

};
;