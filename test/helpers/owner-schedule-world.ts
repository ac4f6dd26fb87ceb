import { prescaleConfig } from '../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { SimulatedWorld } from '../../shared/simulation/world/simulated-world';
import { webGroupSpec } from './web-group-spec';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Load per instance the group is sized for. */
export const OWNER_SCHEDULE_TARGET = 50;
/** About 300 load all day: six instances of 50. */
export const ownerScheduleLoadAt = (ms: number) =>
  300 + 20 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS);

/**
 * The deployed handlers (hourly forecast step) over a world from an hour before `startMs` with
 * the enrolled group `web` (1–20, six instances, target tracking), its load seeded from a week
 * before `startMs` until `seededUntilMs`: where the group owner's scheduled actions are put.
 */
export async function ownerScheduleWorld(
  startMs: number,
  seededUntilMs: number,
): Promise<{ lambdas: PrescaleLambdas; world: SimulatedWorld }> {
  const lambdas = await PrescaleLambdas.start(
    prescaleConfig({ targetLoadPerInstance: OWNER_SCHEDULE_TARGET, prescaleStepSeconds: 3600 }),
  );
  const world = new SimulatedWorld({ startMs: startMs - HOUR_MS, seed: 5 });
  world.createGroup(
    webGroupSpec({
      minSize: 1,
      maxSize: 20,
      desiredCapacity: 6,
      tags: { 'prescale:enabled': 'true' },
      targetTrackingCpu: OWNER_SCHEDULE_TARGET,
    }),
  );
  world.seedHistory('web', startMs - 7 * DAY_MS, seededUntilMs, ownerScheduleLoadAt, OWNER_SCHEDULE_TARGET);
  return { lambdas, world };
}
