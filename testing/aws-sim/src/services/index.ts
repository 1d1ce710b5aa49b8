import type { ServiceModule } from '../service';
import { cloudFrontService } from './cloudfront';
import { ecrService } from './ecr';
import { ecsService } from './ecs';
import { elbv2Service } from './elbv2';
import { githubService } from './github';
import { liveService } from './live';
import { logsService } from './logs';
import { rdsService } from './rds';

/** Every simulated surface, asked in this order whether a request is theirs. */
export function allServices(): ServiceModule[] {
  return [
    ecrService(),
    cloudFrontService(),
    rdsService(),
    elbv2Service(),
    githubService(),
    // Logs before ECS: seeded log groups must exist when seeded tasks start writing to them.
    logsService(),
    ecsService(),
    liveService(),
  ];
}
