import type { Sim } from '@shipyard/aws-sim/server';
import { ecsState } from '@shipyard/aws-sim/services/ecs-state';
import { beforeEachRequest, type HeldClock } from './sim-time';

// A fast simulated clock compresses a blue/green bake into a few real seconds (the demo: 4 minutes into 2 s), while
// ecs-deploy looks at its deployment on a real-time cadence, seconds apart: on a busy machine a bake could end unseen,
// or before the production check has its answer. So while a deploy step that verifies runs, simulated time moves at most STEP_MS between two requests aws-sim
// receives (less than any bake: a request always falls inside it), and stands still from the first request that
// finds a deployment baking until the step's production check has its answer: the passed line, or the
// StopServiceDeployment it sends; then the rest of the bake passes at the clock's full speed. Outside such steps the
// clock runs freely.

const STEP_MS = 60_000;

export interface BakeGate {
  /** Starts gating the bakes of this sim (whose clock this is). */
  watch(sim: Sim): void;
  /** An action step is about to start: gate its bakes if it is a deploy that verifies its production URL. */
  stepStarting(action: string, inputs: Record<string, string>): void;
  /** A line the running action printed. */
  line(line: string): void;
  /** The running step ended: whatever it held is let go. */
  stepEnded(): void;
}

export function gateBakes(clock: HeldClock): BakeGate {
  let gating = false;
  /** Service deployments whose bake was held, and then let go once their production check had its answer. */
  const held = new Set<string>();
  const released = new Set<string>();
  // Once the answer is in, the rest of the bake may pass as fast as the clock runs.
  const release = () => {
    held.forEach((arn) => released.add(arn));
    held.clear();
    clock.limitSteps(undefined);
    clock.start();
  };
  return {
    watch(sim) {
      beforeEachRequest(sim, {}, ({ operation }) => {
        clock.mark();
        if (!gating) return;
        if (operation === 'StopServiceDeployment') return release();
        for (const sd of ecsState(sim.control.world).serviceDeployments.values()) {
          const baking = sd.status === 'IN_PROGRESS' && sd.lifecycleStage === 'BAKE_TIME';
          if (baking && !released.has(sd.serviceDeploymentArn) && !held.has(sd.serviceDeploymentArn)) {
            held.add(sd.serviceDeploymentArn);
            clock.hold();
          }
        }
      });
      clock.start();
    },
    stepStarting(action, inputs) {
      gating = action === 'ecs-deploy' && (inputs.mode || 'deploy') === 'deploy' && !!inputs['verify-url']?.trim();
      if (gating) clock.limitSteps(STEP_MS);
    },
    line(line) {
      if (gating && line.includes('the production check passed')) release();
    },
    stepEnded() {
      gating = false;
      release();
    },
  };
}
