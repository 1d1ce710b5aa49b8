"use strict";
exports.id = 289;
exports.ids = [289];
exports.modules = {

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


/***/ })

};
;