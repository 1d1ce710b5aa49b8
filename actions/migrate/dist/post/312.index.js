"use strict";
exports.id = 312;
exports.ids = [312];
exports.modules = {

/***/ 8312:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  stopTask: () => (/* binding */ stopTask)
});

// UNUSED EXPORTS: startTask, taskId, waitForStop

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var lib_core = __webpack_require__(7484);
// EXTERNAL MODULE: ./packages/shared/src/errors.ts
var errors = __webpack_require__(9680);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./packages/shared/src/duration.ts
/** Durations as Shipyard reads and prints them: `1h30m`, `90s`, `500ms` (units h, m, s, ms, in that order). */
const MS_PER_UNIT = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
// Each unit at most once, largest first; `m(?!s)` keeps the minutes group from eating the `m` of `ms`.
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;
/**
 * Milliseconds for a duration such as `1h30m`, `90s` or `500ms`; a plain whole number means seconds (what most
 * people mean by `timeout: 600`). Returns undefined for anything else: negative, fractional, unknown unit, empty.
 */
function durationToMs(text) {
    if (/^\d+$/.test(text))
        return safe(Number(text) * MS_PER_UNIT.s);
    const match = DURATION.exec(text);
    if (!match || text === '')
        return undefined;
    const [, h = '0', m = '0', s = '0', ms = '0'] = match;
    return safe(Number(h) * MS_PER_UNIT.h + Number(m) * MS_PER_UNIT.m + Number(s) * MS_PER_UNIT.s + Number(ms) * MS_PER_UNIT.ms);
}
/** The shortest form durationToMs reads back to the same value: 5_400_000 → `1h30m`, 1_500 → `1s500ms`. */
function duration_formatDuration(ms) {
    let rest = Math.max(0, Math.round(ms));
    let text = '';
    for (const [unit, size] of Object.entries(MS_PER_UNIT)) {
        const count = Math.floor(rest / size);
        rest -= count * size;
        if (count > 0)
            text += `${count}${unit}`;
    }
    return text || '0s';
}
function safe(ms) {
    return Number.isSafeInteger(ms) ? ms : undefined;
}

;// CONCATENATED MODULE: ./packages/shared/src/poll.ts



const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => (0,promises_.setTimeout)(ms, undefined, { signal }),
};
/**
 * A clock for tests. By default each sleep jumps time forward at once; with `autoAdvance: false` sleeps wait for
 * advance(), which lets a test act (e.g. abort) while poll is asleep.
 */
function fakeClock(options = {}) {
    let now = options.start ?? 0;
    const sleepers = [];
    const sleeps = [];
    const remove = (sleeper) => {
        const index = sleepers.indexOf(sleeper);
        if (index >= 0)
            sleepers.splice(index, 1);
    };
    return {
        sleeps,
        now: () => now,
        advance(ms) {
            now += ms;
            for (const sleeper of sleepers.filter((s) => s.wakeAt <= now)) {
                remove(sleeper);
                sleeper.wake();
            }
        },
        sleep(ms, signal) {
            sleeps.push(ms);
            if (signal?.aborted)
                return Promise.reject(signal.reason);
            if (options.autoAdvance ?? true) {
                now += ms;
                return Promise.resolve();
            }
            return new Promise((resolve, reject) => {
                const sleeper = { wakeAt: now + ms, wake: resolve };
                sleepers.push(sleeper);
                signal?.addEventListener('abort', () => {
                    remove(sleeper);
                    reject(signal.reason);
                }, { once: true });
            });
        },
    };
}
const DEFAULT_MIN_INTERVAL_MS = 2_000;
const DEFAULT_MAX_INTERVAL_MS = 30_000;
const BACKOFF_FACTOR = 1.5;
class PollTimeoutError extends Error {
    lastState;
    attempts;
    name = 'PollTimeoutError';
    constructor(message, 
    /** The last state describe returned: what the caller explains to the user. */
    lastState, attempts) {
        super(message);
        this.lastState = lastState;
        this.attempts = attempts;
    }
}
class PollCancelledError extends Error {
    lastState;
    name = 'PollCancelledError';
    constructor(message, 
    /** Undefined when cancelled before the first describe returned. */
    lastState) {
        super(message);
        this.lastState = lastState;
    }
}
/**
 * Calls describe until isDone, with an adaptive interval: fast at first, backing off by 1.5× up to the maximum,
 * and back to the minimum whenever fingerprint(state) changes. The last check happens at the deadline itself.
 */
async function poll_poll(options) {
    const { describe, isDone, timeoutMs, signal, onProgress, fingerprint } = options;
    const clock = options.clock ?? systemClock;
    const minInterval = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    const maxInterval = Math.max(minInterval, options.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS);
    const what = options.waitingFor ?? 'the operation';
    const started = clock.now();
    const deadline = started + timeoutMs;
    let interval = minInterval;
    let lastState;
    let lastFingerprint;
    const cancelled = () => {
        const reason = isError(signal?.reason) ? ` (${signal.reason.message})` : '';
        const after = formatDuration(clock.now() - started);
        return new PollCancelledError(`cancelled${reason} after ${after} while waiting for ${what}`, lastState);
    };
    for (let attempt = 1;; attempt++) {
        if (signal?.aborted)
            throw cancelled();
        const state = await untilAborted(describe(signal), signal).catch((error) => {
            throw signal?.aborted ? cancelled() : error;
        });
        lastState = state;
        if (isDone(state))
            return state;
        if (fingerprint) {
            const current = fingerprint(state);
            if (attempt > 1 && !Object.is(current, lastFingerprint))
                interval = minInterval;
            lastFingerprint = current;
        }
        const remaining = deadline - clock.now();
        if (remaining <= 0) {
            throw new PollTimeoutError(`timed out after ${formatDuration(timeoutMs)} waiting for ${what} (${attempt} ${attempt === 1 ? 'check' : 'checks'})`, state, attempt);
        }
        const delay = Math.min(interval, remaining);
        onProgress?.({ state, attempt, elapsedMs: clock.now() - started, nextPollInMs: delay });
        try {
            await clock.sleep(delay, signal);
        }
        catch (error) {
            throw signal?.aborted ? cancelled() : error;
        }
        interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
    }
}
/** Settles with `promise`, or rejects at once when `signal` aborts, whichever comes first. */
function untilAborted(promise, signal) {
    if (!signal)
        return promise;
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
const signalsBySource = new WeakMap();
/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM (a cancelled workflow run), so poll loops stop promptly
 * and the action can report what it saw. Only the first signal is caught: a second one ends the process the
 * default way. One shared signal per source.
 */
function cancellationSignal(source = process) {
    const existing = signalsBySource.get(source);
    if (existing)
        return existing;
    const controller = new AbortController();
    const onSignal = (name) => () => {
        source.removeListener('SIGINT', onInterrupt);
        source.removeListener('SIGTERM', onTerminate);
        controller.abort(new Error(`received ${name}`));
    };
    const onInterrupt = onSignal('SIGINT');
    const onTerminate = onSignal('SIGTERM');
    source.once('SIGINT', onInterrupt);
    source.once('SIGTERM', onTerminate);
    signalsBySource.set(source, controller.signal);
    return controller.signal;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./actions/migrate/src/output.ts

const stdout = (text) => void process.stdout.write(text);
/**
 * Prints lines that come from elsewhere (a container's CloudWatch log) between stop-commands markers, so a line
 * such as `::add-mask::` or `::set-env` written by the migration is shown, never executed by the runner.
 */
function output_printUntrusted(lines, write = stdout) {
    if (lines.length === 0)
        return;
    const token = randomUUID();
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

;// CONCATENATED MODULE: ./actions/migrate/src/watch.ts






/** RunTask; `failures[]` arrive with HTTP 200 and mean nothing was started. */
async function startTask(ecs, input) {
    const { tasks, failures } = await ecs.send(new RunTaskCommand(input));
    const task = tasks?.[0];
    if (failures?.length || !task?.taskArn) {
        throw new DeploymentFailure(`ECS started no task: ${describeRunTaskFailures(failures ?? [])}`);
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
            core.warning(`Stopped streaming the container's log: ${describeError(error)}. The exit code still decides.`);
            lines = undefined;
        }
        printUntrusted(batch);
        options.lastLines.push(batch);
        linesSeen += batch.length;
    };
    const observed = await poll({
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
    const { tasks, failures } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), {
        abortSignal: signal,
    });
    const task = tasks?.[0];
    if (!task) {
        throw new DeploymentFailure(`task ${taskArn} can no longer be described: ${describeRunTaskFailures(failures ?? [])}`);
    }
    return task;
}
/** StopTask; the reason (≤ 255 characters) shows in the console and in DescribeTasks' stoppedReason. */
async function stopTask(ecs, cluster, taskArn, reason) {
    await ecs.send(new dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason: reason.slice(0, 255) }));
    lib_core.info(`Stopped task ${taskArn}: ${reason}`);
}
function taskId(taskArn) {
    return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}


/***/ })

};
;