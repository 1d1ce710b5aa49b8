// The simulator's own figures (start-up, DescribeServices throughput), so `npm run bench` prints every benchmark.
import '../testing/aws-sim/bench/ecs-api';
