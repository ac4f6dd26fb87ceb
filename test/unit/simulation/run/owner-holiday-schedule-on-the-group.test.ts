import type { RunRecord } from '../../../../shared/ports/state-store';
import type { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { ownerScheduleWorld } from '../../../helpers/owner-schedule-world';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const TICK_MS = 5 * 60_000;
/** Monday 2024-03-04, 07:00 UTC. */
const START_MS = Date.UTC(2024, 2, 4, 7);
/** A holiday schedule: MinSize 15 from Wednesday 06:00 (then daily at 08:00) until Thursday noon. */
const HOLIDAY = {
  minSize: 15,
  startMs: START_MS + 2 * DAY_MS - HOUR_MS,
  endMs: START_MS + 3 * DAY_MS + 5 * HOUR_MS,
};

/**
 * The owner's recurring action bounded by StartTime and EndTime, beside the owner's nightly MinSize
 * 1, through the deployed handlers on the simulated Auto Scaling that runs both.
 */
describe("a group with the owner's holiday schedule (StartTime and EndTime), through the deployed handlers", () => {
  let lambdas: PrescaleLambdas;
  let world: SimulatedWorld;

  /** Runs the loop every five minutes over [fromMs, toMs]: each run's MinSize after it, and its record. */
  async function runLoop(
    fromMs: number,
    toMs: number,
  ): Promise<{ minSizes: number[]; records: RunRecord[] }> {
    const minSizes: number[] = [];
    for (let atMs = fromMs; atMs <= toMs; atMs += TICK_MS) {
      world.advanceTo(atMs);
      const result = await lambdas.tick();
      expect(result.handlerErrors).toEqual([]);
      minSizes.push(world.autoScaling.counts('web').minSize);
    }
    const records = (await lambdas.runRecords('web', fromMs)).filter((r) => r.tickMs <= toMs);
    return { minSizes, records };
  }

  const reasons = (records: readonly RunRecord[]) => records.map((r) => r.outcome.reason ?? '');

  beforeAll(async () => {
    ({ lambdas, world } = await ownerScheduleWorld(START_MS, START_MS + 4 * DAY_MS));
    world.autoScaling.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'holiday',
      Recurrence: '0 8 * * *',
      StartTime: new Date(HOLIDAY.startMs),
      EndTime: new Date(HOLIDAY.endMs),
      MinSize: HOLIDAY.minSize,
    });
    world.autoScaling.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'nightly',
      Recurrence: '0 20 * * *',
      MinSize: 1,
    });
    await lambdas.attach(world);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('plans below the holiday MinSize before the schedule starts, though its cron matched every morning', async () => {
    const { minSizes, records } = await runLoop(START_MS, START_MS + 2 * HOUR_MS);
    expect(Math.max(...minSizes)).toBeLessThan(HOLIDAY.minSize);
    expect(reasons(records).some((r) => r.includes('"holiday"'))).toBe(false);
  });

  it('holds the holiday MinSize from its StartTime, when Auto Scaling runs it first', async () => {
    const { minSizes, records } = await runLoop(HOLIDAY.startMs + TICK_MS, HOLIDAY.startMs + 3 * HOUR_MS);
    expect(minSizes).toEqual(minSizes.map(() => HOLIDAY.minSize));
    expect(reasons(records)[0]).toContain(
      'floor 15 from the group\'s scheduled action "holiday" (run 2024-03-06T06:00:00.000Z)',
    );
  });

  it('plans below it again after its EndTime, when only the nightly action runs', async () => {
    const fridayMs = START_MS + 4 * DAY_MS + 2 * HOUR_MS; // Friday 09:00
    const { minSizes, records } = await runLoop(fridayMs, fridayMs + HOUR_MS);
    expect(Math.max(...minSizes)).toBeLessThan(HOLIDAY.minSize);
    expect(reasons(records).some((r) => r.includes('"holiday"'))).toBe(false);
  });
});
