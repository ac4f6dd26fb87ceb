import {
  type CapacityShortageRun,
  capacityShortageScenario,
  DIVERSIFIED_GROUP,
  runCapacityShortageScenario,
  SINGLE_TYPE_GROUP,
} from '../../../../shared/simulation/scenarios/capacity-shortage-scenario';
import type { GroupRun } from '../../../../shared/simulation/scenarios/run-groups';

const MINUTE_MS = 60_000;

describe('runCapacityShortageScenario (real handlers, EC2 out of the first type through a campaign)', () => {
  const built = capacityShortageScenario();
  const spike = (built.spikeStartMs - built.scenario.evalStartMs) / MINUTE_MS;
  let single: GroupRun;
  let diversified: GroupRun;
  let handlerErrors: readonly string[];
  let failedActions: readonly string[];
  let reported: CapacityShortageRun['launchFailures'];

  // Without the shortage both groups read 10 SLO minutes (`npm run bench:group-shapes`).
  beforeAll(async () => {
    const run = await runCapacityShortageScenario(built);
    handlerErrors = run.handlerErrors;
    failedActions = run.failedActions;
    reported = run.launchFailures;
    single = run.groups[SINGLE_TYPE_GROUP] as GroupRun;
    diversified = run.groups[DIVERSIFIED_GROUP] as GroupRun;
  });

  it('runs every handler without an error, and every scheduled action it puts applies when it fires', () => {
    expect(handlerErrors).toEqual([]);
    expect(failedActions).toEqual([]);
  });

  it('pre-warms the diversified group on its other types, and the single-type group not at all', () => {
    expect(diversified.supply[spike]).toBeGreaterThanOrEqual(diversified.demand[spike] as number);
    expect(single.supply[spike]).toBeLessThan((single.demand[spike] as number) / 2);
    expect(diversified.sloViolationMinutes * 4).toBeLessThan(single.sloViolationMinutes);
  });

  it("reports the single-type group's failed launches in its run records, while the shortage lasts, and none of the twin's", () => {
    const single = reported[SINGLE_TYPE_GROUP] ?? [];
    expect(single.length).toBeGreaterThan(0);
    for (const r of single) {
      expect(r.newestReason).toMatch(/^InsufficientInstanceCapacity - .*m5\.large capacity/);
      expect(r.tickMs).toBeGreaterThan(built.shortFromMs);
      // A run reports the failures since the previous one: the last can come one run after the shortage.
      expect(r.tickMs).toBeLessThanOrEqual(built.shortToMs + 5 * MINUTE_MS);
    }
    expect(reported[DIVERSIFIED_GROUP]).toEqual([]);
  });

  it('asks the single-type group for no more than the diversified one while its launches fail', () => {
    expect(Math.max(...single.desired)).toBeLessThanOrEqual(Math.max(...diversified.desired));
  });
});
