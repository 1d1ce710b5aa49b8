import type { World } from '../world';
import { ids, type Service, type Task } from './ecs-state';

/** Service events: newest first, capped like AWS, worded like the messages ECS posts. */

const EVENT_CAP = 100;

const label = (service: Service) => `(service ${service.serviceName})`;
const taskList = (tasks: Task[]) => tasks.map((t) => `(task ${t.id})`).join(' ');

export const messages = {
  started: (s: Service, tasks: Task[]) => `${label(s)} has started ${tasks.length} tasks: ${taskList(tasks)}.`,
  stopped: (s: Service, tasks: Task[]) => `${label(s)} has stopped ${tasks.length} running tasks: ${taskList(tasks)}.`,
  draining: (s: Service, tasks: Task[]) => `${label(s)} has begun draining connections on ${tasks.length} tasks.`,
  steady: (s: Service) => `${label(s)} has reached a steady state.`,
  completed: (s: Service, deploymentId: string) => `${label(s)} (deployment ${deploymentId}) deployment completed.`,
  failed: (s: Service, deploymentId: string) =>
    `${label(s)} (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  rollingBack: (s: Service, deploymentId: string) => `${label(s)} rolling back to deployment ${deploymentId}.`,
  unplaceable: (s: Service, reason: string) => `${label(s)} was unable to place a task. Reason: ${reason}.`,
  /** The failed-health-check event for a task the scheduler stopped, if its reason calls for one. */
  healthCheckFailed(s: Service, task: Task): string | undefined {
    if (task.stoppedReason?.startsWith('Task failed ELB health checks')) {
      const port = task.target?.containerPort ?? 80;
      return `${label(s)} (port ${port}) is unhealthy in (target-group ${task.target?.targetGroupArn}) due to (reason Health checks failed).`;
    }
    if (task.stoppedReason === 'Task failed container health checks')
      return `${label(s)} (task ${task.id}) failed container health checks.`;
    return undefined;
  },
};

export function addEvent(world: World, service: Service, message: string): void {
  service.events.unshift({ id: ids.event(), createdAt: new Date(world.now()), message });
  if (service.events.length > EVENT_CAP) service.events.length = EVENT_CAP;
}
