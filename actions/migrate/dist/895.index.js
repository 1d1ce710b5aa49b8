"use strict";
exports.id = 895;
exports.ids = [895];
exports.modules = {

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

/***/ 3895:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   migrateOnRunner: () => (/* binding */ migrateOnRunner)
/* harmony export */ });
/* unused harmony exports runCommand, resolveWorkingDirectory, commandEnvironment */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _shipyard_shared_aws__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7947);
/* harmony import */ var _shipyard_shared_duration__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6291);
/* harmony import */ var _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9680);
/* harmony import */ var _shipyard_shared_log__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3133);
/* harmony import */ var _shipyard_shared_inputs__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(7458);
/* harmony import */ var _constants__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(9528);
/* harmony import */ var _output__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(9560);
/* harmony import */ var _summary__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(5253);












/** How long a stopped command gets between SIGTERM and SIGKILL, like `docker stop`. */
const KILL_GRACE_MS = 10_000;
/**
 * Runs argv directly (no shell unless argv starts one) in its own process group, so a timeout or a cancelled run
 * stops the whole tree the command started (npx → node → psql …), not just its first process.
 */
function runCommand(spec) {
    const started = Date.now();
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(spec.argv[0], spec.argv.slice(1), {
        cwd: spec.cwd,
        env: spec.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
    });
    let stoppedFor;
    let killTimer;
    const stop = (why) => {
        if (stoppedFor)
            return;
        stoppedFor = why;
        killTree(child, 'SIGTERM');
        killTimer = setTimeout(() => killTree(child, 'SIGKILL'), spec.killGraceMs ?? KILL_GRACE_MS);
    };
    const timeout = setTimeout(() => stop('timeout'), spec.timeoutMs);
    const onAbort = () => stop('cancel');
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const splitters = [child.stdout, child.stderr].map((stream) => {
        const splitter = new _output__WEBPACK_IMPORTED_MODULE_10__/* .LineSplitter */ .g3(spec.onLine);
        stream?.setEncoding('utf8');
        stream?.on('data', (chunk) => splitter.write(chunk));
        return splitter;
    });
    if (spec.signal?.aborted)
        stop('cancel');
    return new Promise((resolveRun, reject) => {
        const cleanUp = () => {
            clearTimeout(timeout);
            clearTimeout(killTimer);
            spec.signal?.removeEventListener('abort', onAbort);
        };
        child.on('error', (error) => {
            cleanUp();
            reject(new _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_6__/* .DeploymentFailure */ .S(`could not start ${(0,_shipyard_shared_inputs__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(spec.argv[0])}: ${error.message}`));
        });
        child.on('close', (exitCode, signal) => {
            cleanUp();
            splitters.forEach((splitter) => splitter.flush());
            resolveRun({ exitCode, signal, durationMs: Date.now() - started, stoppedFor });
        });
    });
}
function killTree(child, signal) {
    if (child.pid === undefined || child.exitCode !== null)
        return;
    if (process.platform === 'win32') {
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawnSync)('taskkill', ['/pid', String(child.pid), '/t', '/f']);
        return;
    }
    try {
        // The negative pid addresses the process group the detached child leads.
        process.kill(-child.pid, signal);
    }
    catch {
        // Already gone.
    }
}
/** The working directory, resolved against the checkout; a missing one is a config error, found before any AWS call. */
function resolveWorkingDirectory(input, env = process.env) {
    const base = env.GITHUB_WORKSPACE || process.cwd();
    const directory = input ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(base, input) : base;
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(directory, { throwIfNoEntry: false })?.isDirectory()) {
        throw new _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL(`Input "${_constants__WEBPACK_IMPORTED_MODULE_9__/* .Inputs */ .G0.WorkingDirectory}" names ${(0,_shipyard_shared_inputs__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(input ?? directory)}, which is not a directory.`);
    }
    return directory;
}
/** The command's environment: the step's own, without this action's inputs, plus environment-variables. */
function commandEnvironment(environment, env = process.env) {
    const inherited = Object.fromEntries(Object.entries(env).filter(([name]) => !/^(INPUT|STATE)_/.test(name)));
    return { ...inherited, ...environment };
}
async function migrateOnRunner(inputs, context) {
    const { report, signal } = context;
    const cwd = resolveWorkingDirectory(inputs.workingDirectory);
    const snapshot = inputs.snapshot;
    if (snapshot) {
        const region = (0,_shipyard_shared_aws__WEBPACK_IMPORTED_MODULE_4__/* .resolveRegion */ .Zv)(inputs.region);
        const { snapshotBeforeMigrating } = await Promise.all(/* import() */[__webpack_require__.e(202), __webpack_require__.e(289)]).then(__webpack_require__.bind(__webpack_require__, 7289));
        await (0,_shipyard_shared_log__WEBPACK_IMPORTED_MODULE_7__/* .group */ .O)(`Snapshot ${snapshot.db}`, () => snapshotBeforeMigrating(snapshot, report, { region, signal }));
    }
    const lastLines = new _output__WEBPACK_IMPORTED_MODULE_10__/* .LastLines */ .UR(inputs.logLines);
    // Not in a group: the command's output is what the reader of this log came for.
    _actions_core__WEBPACK_IMPORTED_MODULE_3__.info(`Running ${inputs.commandText} in ${cwd} (timeout ${(0,_shipyard_shared_duration__WEBPACK_IMPORTED_MODULE_5__/* .formatDuration */ .a)(inputs.timeoutMs)}).`);
    const run = await runCommand({
        argv: inputs.argv,
        cwd,
        env: commandEnvironment(inputs.environment),
        timeoutMs: inputs.timeoutMs,
        signal,
        onLine: (line) => {
            process.stdout.write(`${line}\n`);
            lastLines.push([line]);
        },
    });
    report.lastLines = lastLines.lines;
    report.durationMs = run.durationMs;
    report.exitCode = run.exitCode ?? undefined;
    if (run.stoppedFor === 'timeout') {
        throw new _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_6__/* .DeploymentFailure */ .S(`the command did not finish within ${(0,_shipyard_shared_duration__WEBPACK_IMPORTED_MODULE_5__/* .formatDuration */ .a)(inputs.timeoutMs)}; it and its child processes were stopped`);
    }
    if (run.stoppedFor === 'cancel')
        throw new _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_6__/* .DeploymentFailure */ .S('the run was cancelled; the command was stopped');
    if (run.exitCode !== 0) {
        throw new _shipyard_shared_errors__WEBPACK_IMPORTED_MODULE_6__/* .DeploymentFailure */ .S(run.exitCode === null
            ? `the command was killed by ${run.signal}`
            : `the command exited with code ${run.exitCode}`);
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_3__.info(`The command exited with code 0 after ${(0,_summary__WEBPACK_IMPORTED_MODULE_11__/* .formatSeconds */ .Xo)(run.durationMs)}.`);
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