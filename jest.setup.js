// Tests must not reach the network beyond loopback, and must not inherit the developer's AWS or GitHub context.
for (const key of Object.keys(process.env)) {
  if (/^(AWS_|GITHUB_|INPUT_|STATE_|RUNNER_)/.test(key)) delete process.env[key];
}
process.env.AWS_EC2_METADATA_DISABLED = 'true';
// Tests talk plain HTTP to loopback only: extra CA certificates would just cost every node process they start (each
// action step, each `aws` CLI stand-in call) the time to read and parse the bundle, about a third of its start-up.
delete process.env.NODE_EXTRA_CA_CERTS;
