import { jsonService } from '../protocols/json';
import type { ServiceModule } from '../service';
import { clusterHandlers } from './ecs-clusters';
import { seedEcs } from './ecs-seed';
import { serviceDeploymentHandlers } from './ecs-service-deployment-api';
import { serviceHandlers } from './ecs-services';
import { taskDefinitionHandlers } from './ecs-task-definitions';
import { taskHandlers } from './ecs-tasks';

/** Amazon ECS over AWS JSON 1.1. */
export function ecsService(): ServiceModule {
  return jsonService({
    name: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    handlers: {
      ...clusterHandlers,
      ...taskDefinitionHandlers,
      ...serviceHandlers,
      ...serviceDeploymentHandlers,
      ...taskHandlers,
    },
    seed: seedEcs,
  });
}
