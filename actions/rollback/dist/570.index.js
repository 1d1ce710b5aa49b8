"use strict";
exports.id = 570;
exports.ids = [570];
exports.modules = {

/***/ 4570:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  explainFailures: () => (/* binding */ explainFailures)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./packages/shared/src/aws.ts
var aws = __webpack_require__(4614);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./packages/shared/src/errors.ts
var errors = __webpack_require__(9680);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var client_cloudwatch_logs_dist_cjs = __webpack_require__(2684);
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
        const response = await client.send(new client_cloudwatch_logs_dist_cjs/* GetLogEventsCommand */.h7S({
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
                response = await this.client.send(new GetLogEventsCommand({
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

;// CONCATENATED MODULE: ./packages/shared/src/ecs-explain.ts



// Why a deployment failed, on one screen: the deployment's status reason, the stopped tasks of the new revision
// (stop code, reason, container exit codes), the last service events and the last log lines of each failed
// container. Loads the ECS SDK: import lazily, after the inputs are valid.
const LOG_LINES_PER_CONTAINER = 30;
const STOPPED_TASKS_SHOWN = 3;
const EVENTS_SHOWN = 8;
/** A container failed when it exited non-zero, or stopped with a reason and no exit code (it never ran). */
function failedContainers(task) {
    return task.containers.filter((c) => (c.exitCode !== undefined ? c.exitCode !== 0 : c.reason !== undefined));
}
function toStoppedTaskFacts(task) {
    return {
        taskArn: task.taskArn ?? '',
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason,
        containers: (task.containers ?? []).map((c) => ({ name: c.name ?? '', exitCode: c.exitCode, reason: c.reason })),
    };
}
/** Collects the facts; every AWS problem becomes a gap in the explanation rather than an error. */
async function gatherFailureFacts(options) {
    const { ecs, cluster, service, taskDefinition, since } = options;
    const facts = {
        service,
        reason: options.reason,
        taskDefinitionArn: taskDefinition?.taskDefinitionArn,
        stoppedTasks: [],
        events: (options.events ?? [])
            .filter((e) => !since || !e.createdAt || e.createdAt >= since)
            .slice(0, EVENTS_SHOWN)
            .reverse()
            .map((e) => ({ createdAt: e.createdAt, message: e.message ?? '' })),
        logs: [],
        gaps: [],
    };
    try {
        const listed = await ecs.send(new dist_cjs/* ListTasksCommand */.MYg({ cluster, serviceName: service, desiredStatus: 'STOPPED' }));
        const arns = listed.taskArns ?? [];
        const tasks = arns.length
            ? ((await ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: arns.slice(0, 100) }))).tasks ?? [])
            : [];
        facts.stoppedTasks = tasks
            .filter((t) => !taskDefinition?.taskDefinitionArn || t.taskDefinitionArn === taskDefinition.taskDefinitionArn)
            .filter((t) => !since || !t.stoppedAt || t.stoppedAt >= since)
            .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
            .slice(0, STOPPED_TASKS_SHOWN)
            .map(toStoppedTaskFacts);
    }
    catch (error) {
        facts.gaps.push(`stopped tasks could not be read: ${(0,errors/* describeError */.Uc)(error)}`);
    }
    if (taskDefinition)
        facts.logs = await readFailedContainerLogs(options, facts.stoppedTasks, taskDefinition);
    return facts;
}
/** The last lines of each failed container, from the newest stopped task it failed in. */
async function readFailedContainerLogs(options, tasks, taskDefinition) {
    const newestFailure = new Map();
    for (const task of tasks) {
        for (const container of failedContainers(task)) {
            if (!newestFailure.has(container.name))
                newestFailure.set(container.name, task.taskArn);
        }
    }
    return Promise.all([...newestFailure].map(async ([container, taskArn]) => {
        const location = awslogsLocation(taskDefinition, container, taskArn);
        if (!location)
            return {
                container,
                taskArn,
                lines: [],
                unavailable: 'the container does not log with awslogs and a stream prefix',
            };
        if (!options.logs)
            return { container, taskArn, location, lines: [], unavailable: 'no CloudWatch Logs client' };
        try {
            return {
                container,
                taskArn,
                location,
                lines: await tailLogLines(options.logs, location, LOG_LINES_PER_CONTAINER),
            };
        }
        catch (error) {
            return { container, taskArn, location, lines: [], unavailable: (0,errors/* describeError */.Uc)(error) };
        }
    }));
}
function shortTask(taskArn) {
    return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
function clock(date) {
    return date ? date.toISOString().slice(11, 19) : '--:--:--';
}
/** The explanation as log lines (also used, fenced, in the job summary). */
function formatExplanation(facts) {
    const lines = [`Why "${facts.service}" failed: ${facts.reason}`];
    if (facts.taskDefinitionArn)
        lines.push(`  Revision: ${facts.taskDefinitionArn}`);
    if (facts.stoppedTasks.length) {
        lines.push('  Stopped tasks of this revision (newest first):');
        for (const task of facts.stoppedTasks) {
            const code = task.stopCode ? `${task.stopCode}: ` : '';
            lines.push(`    task ${shortTask(task.taskArn)} — ${code}${task.stoppedReason ?? 'no reason given'}`);
            for (const container of task.containers) {
                const exit = container.exitCode !== undefined ? `exit code ${container.exitCode}` : 'no exit code';
                lines.push(`      container "${container.name}": ${exit}${container.reason ? ` (${container.reason})` : ''}`);
            }
        }
    }
    else {
        lines.push('  No stopped tasks of this revision.');
    }
    if (facts.events.length) {
        lines.push('  Last service events (oldest first):');
        for (const event of facts.events)
            lines.push(`    ${clock(event.createdAt)} ${event.message}`);
    }
    for (const log of facts.logs) {
        const where = log.location ? `, ${describeLocation(log.location)}` : '';
        const title = `  Last ${LOG_LINES_PER_CONTAINER} log lines of container "${log.container}" (task ${shortTask(log.taskArn)}${where}):`;
        if (log.unavailable)
            lines.push(`  No log lines for container "${log.container}": ${log.unavailable}.`);
        else if (log.lines.length === 0)
            lines.push(`${title}\n    (none: the container wrote nothing or never started)`);
        else
            lines.push(title, ...log.lines.map((line) => `    ${line}`));
    }
    for (const gap of facts.gaps)
        lines.push(`  (${gap})`);
    return lines;
}

// EXTERNAL MODULE: ./actions/rollback/src/constants.ts
var constants = __webpack_require__(2011);
;// CONCATENATED MODULE: ./actions/rollback/src/explain.ts




// Phase 5: explain each failure on one screen, the way ecs-deploy does (shared ecs-explain): status reason,
// stopped tasks of the target revision, the last service events and the failed containers' last log lines.
async function explainFailures(ecs, inputs, failures) {
    const { CloudWatchLogsClient } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 2684, 19));
    const logs = (0,aws/* createClient */.UU)(CloudWatchLogsClient, {
        action: constants/* ACTION_NAME */.px,
        region: inputs.region,
        maxAttempts: inputs.maxAttempts,
    });
    await Promise.all(failures.map(async ({ service, reason }) => {
        const { entry, target } = service.plan;
        const facts = await gatherFailureFacts({
            ecs,
            logs,
            cluster: inputs.cluster,
            service: entry.service,
            reason,
            taskDefinition: target.taskDefinition,
            events: service.snapshot?.service?.events,
            // ECS's own clock where it says when the deployment began: the runner's clock may be skewed.
            since: service.snapshot?.serviceDeployment?.createdAt ?? new Date(service.startedAt),
        });
        entry.explanation = formatExplanation(facts);
    }));
    // Printed together, in the order of the services, so explanations do not interleave.
    for (const { service } of failures)
        for (const line of service.plan.entry.explanation ?? [])
            core.info(line);
}


/***/ })

};
;