import type { RunRecord } from '../../../../shared/ports/state-store';
import type { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { ownerScheduleWorld } from '../../../helpers/owner-schedule-world';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const TICK_MS = 5 * 60_000;
/** Monday 2024-03-04, 07:00 UTC. */
const START_MS = Date.UTC(2024, 2, 4, 7);
/** The owner's morning action asks for ten where the load needs six (`ownerScheduleWorld`). */
const OPEN = { minSize: 10, atMs: START_MS + HOUR_MS };
const CLOSE = { minSize: 3, atMs: START_MS + 3 * HOUR_MS };

interface Sample {
  readonly atMs: number;
  readonly minSize: number;
}

/**
 * The group owner's own recurring actions (MinSize 10 at 08:00, 3 at 10:00) beside Prescale's
 * loop, through the deployed handlers on the simulated Auto Scaling that runs both.
 */
describe("a group the owner's own recurring scheduled actions size, through the deployed handlers", () => {
  let lambdas: PrescaleLambdas;
  let world: SimulatedWorld;
  const samples: Sample[] = [];
  let records: RunRecord[] = [];

  beforeAll(async () => {
    ({ lambdas, world } = await ownerScheduleWorld(START_MS, START_MS));
    for (const [name, recurrence, minSize] of [
      ['open', '0 8 * * *', OPEN.minSize],
      ['close', '0 10 * * *', CLOSE.minSize],
    ] as const)
      world.autoScaling.putScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledActionName: name,
        Recurrence: recurrence,
        MinSize: minSize,
      });
    await lambdas.attach(world);
    world.advanceTo(START_MS);
    for (let atMs = START_MS; atMs <= START_MS + 4 * HOUR_MS; atMs += TICK_MS) {
      world.advanceTo(atMs);
      const result = await lambdas.tick();
      expect(result.handlerErrors).toEqual([]);
      samples.push({ atMs, minSize: world.autoScaling.counts('web').minSize });
    }
    records = await lambdas.runRecords('web', START_MS);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('keeps the MinSize the morning action set through every run until the next action', () => {
    const morning = samples.filter((s) => s.atMs >= OPEN.atMs && s.atMs < CLOSE.atMs);
    expect(morning.length).toBeGreaterThan(20);
    expect(morning.map((s) => s.minSize)).toEqual(morning.map(() => OPEN.minSize));
    const reasons = records
      .filter((r) => r.tickMs >= OPEN.atMs && r.tickMs < CLOSE.atMs)
      .map((r) => r.outcome.reason ?? '');
    expect(reasons.every((r) => r.includes('floor 10 from the group\'s scheduled action "open"'))).toBe(true);
  });

  it('plans its own, lower capacity before it, and holds the later action’s MinSize after it', () => {
    const before = samples.filter((s) => s.atMs < OPEN.atMs);
    expect(Math.max(...before.map((s) => s.minSize))).toBeLessThan(OPEN.minSize);
    const after = samples.filter((s) => s.atMs >= CLOSE.atMs + HOUR_MS);
    expect(Math.min(...after.map((s) => s.minSize))).toBeGreaterThanOrEqual(CLOSE.minSize);
    expect(Math.max(...after.map((s) => s.minSize))).toBeLessThan(OPEN.minSize);
  });

  it("keeps both the owner's schedule and its own plan while Prescale is down the next day", () => {
    // The loop stops after 11:00; its look-ahead and the owner's actions run on.
    const down: Sample[] = [];
    for (
      let atMs = START_MS + 4 * HOUR_MS + TICK_MS;
      atMs < START_MS + DAY_MS + 4 * HOUR_MS;
      atMs += TICK_MS
    ) {
      world.advanceTo(atMs);
      down.push({ atMs, minSize: world.autoScaling.counts('web').minSize });
    }
    const during = (fromMs: number, toMs: number) =>
      down.filter((s) => s.atMs >= fromMs + DAY_MS && s.atMs < toMs + DAY_MS).map((s) => s.minSize);
    expect(Math.min(...during(OPEN.atMs, CLOSE.atMs))).toBe(OPEN.minSize);
    // After the owner's lower action, the look-ahead's next one gives the plan back (a minute later).
    // The plan overnight (the owner's MinSize 3 in effect), the day after's morning.
    const planned = Math.min(...during(START_MS + 12 * HOUR_MS - DAY_MS, OPEN.atMs));
    expect(planned).toBeGreaterThan(CLOSE.minSize);
    expect(Math.min(...during(CLOSE.atMs + TICK_MS, CLOSE.atMs + HOUR_MS))).toBeGreaterThanOrEqual(planned);
  });
});
