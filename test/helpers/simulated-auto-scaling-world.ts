import { seededRandom } from '../../shared/simulation/seeded-random';
import { type GroupSpec, SimulatedAutoScaling } from '../../shared/simulation/world/simulated-auto-scaling';
import { webGroupSpec } from './web-group-spec';

export const START = Date.UTC(2024, 0, 1);
export const MINUTE = 60_000;

/**
 * A simulated Auto Scaling holding one `web` group (`webGroupSpec` with `over`), and `runTo`,
 * which moves its clock from START to `ms` in quarter-minute steps, as the simulation driver does.
 */
export function autoScalingWorld(over: Partial<GroupSpec> = {}) {
  const asg = new SimulatedAutoScaling(seededRandom(1), START);
  asg.createGroup(webGroupSpec(over));
  const runTo = (ms: number) => {
    for (let t = START; t <= ms; t += MINUTE / 4) asg.advanceTo(t);
    asg.advanceTo(ms);
  };
  return { asg, runTo };
}
