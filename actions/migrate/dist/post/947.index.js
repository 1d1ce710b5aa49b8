"use strict";
exports.id = 947;
exports.ids = [947];
exports.modules = {

/***/ 7947:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createClient: () => (/* binding */ createClient)
});

// UNUSED EXPORTS: iamOperationName, resolveRegion

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


/***/ })

};
;