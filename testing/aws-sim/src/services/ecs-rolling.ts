import type { World } from '../world';
import type { EngineOps } from './ecs-blue-green';
import { addEvent, messages } from './ecs-events';
import type { Deployment, Service } from './ecs-state';

/**
 * The rolling update: launch new tasks within maximumPercent, stop old ones as new ones turn healthy while keeping
 * minimumHealthyPercent, and complete once only healthy tasks of the new revision remain. Also keeps a completed
 * deployment at its desired count (replacing tasks that die, rescaling) and reports the steady state.
 */
export function reconcileRolling(world: World, service: Service, primary: Deployment, ops: EngineOps): void {
  if (primary.frozen) return;
  const desired = service.desiredCount;
  const config = service.deploymentConfiguration;
  const scalingReason = `Scaling activity initiated by (deployment ${primary.id})`;
  let mine = ops.live(service, primary.id);
  if (mine.length > desired) {
    const byUsefulness = [...mine].sort((a, b) => Number(a.healthy) - Number(b.healthy));
    ops.stop(service, byUsefulness.slice(0, mine.length - desired), scalingReason);
    mine = ops.live(service, primary.id);
  }
  const healthyMine = mine.filter((t) => t.healthy).length;
  const others = ops.othersLive(service, primary.id).sort((a, b) => Number(a.healthy) - Number(b.healthy));
  const minHealthy = Math.ceil((desired * (config.minimumHealthyPercent ?? 100)) / 100);
  const keep = Math.max(0, minHealthy - healthyMine);
  const toStop = others.slice(0, Math.max(0, others.length - keep));
  ops.stop(service, toStop, scalingReason);
  if (primary.rolloutState !== 'FAILED') {
    const maxTotal = Math.floor((desired * (config.maximumPercent ?? 200)) / 100);
    const room = Math.min(desired - mine.length, maxTotal - mine.length - (others.length - toStop.length));
    if (room > 0) ops.launch(service, primary, room);
  }
  const settled =
    mine.length === desired && healthyMine === desired && ops.othersRemaining(service, primary.id).length === 0;
  if (!settled) return;
  if (primary.rolloutState === 'IN_PROGRESS') {
    ops.complete(service, primary);
  } else if (primary.rolloutState === 'COMPLETED' && !service.steady) {
    addEvent(world, service, messages.steady(service));
    service.steady = true;
  }
}
