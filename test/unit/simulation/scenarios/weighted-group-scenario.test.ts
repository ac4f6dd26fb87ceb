import type { GroupsRun } from '../../../../shared/simulation/scenarios/run-groups';
import {
  PLAIN_GROUP,
  runWeightedGroupScenario,
  WEIGHTED_GROUP,
  weightedGroupScenario,
} from '../../../../shared/simulation/scenarios/weighted-group-scenario';

describe('runWeightedGroupScenario (real handlers, a group and its twin weighted 2 units per instance)', () => {
  const built = weightedGroupScenario();
  let run: GroupsRun;

  beforeAll(async () => {
    run = await runWeightedGroupScenario(built);
  });

  const group = (name: string) => {
    const found = run.groups[name];
    if (!found) throw new Error(`no run of ${name}`);
    return found;
  };

  it('runs every handler without an error, and every scheduled action it puts applies when it fires', () => {
    expect(run.handlerErrors).toEqual([]);
    expect(run.failedActions).toEqual([]);
  });

  it('asks for capacity in units: the twin desires twice the instances, less at most the one unit it may round', () => {
    const plain = group(PLAIN_GROUP).desired;
    const off = group(WEIGHTED_GROUP).desired.flatMap((units, minute) => {
      const wanted = built.weight * (plain[minute] as number);
      return units >= wanted - 1 && units <= wanted ? [] : [`minute ${minute}: ${units} units for ${wanted}`];
    });
    expect(off).toEqual([]);
  });

  it('serves the twin as it serves the group: the same ready instances within one once launched, SLO minutes and cost', () => {
    const plain = group(PLAIN_GROUP);
    const twin = group(WEIGHTED_GROUP);
    // Mid-launch the groups' instances come up at their own jitter (the pre-warm launches nine at once).
    const settled = (minute: number) =>
      (plain.supply[minute] as number) >= (plain.desired[minute] as number) &&
      (twin.supply[minute] as number) >= Math.ceil((twin.desired[minute] as number) / built.weight);
    const apart = twin.supply.filter(
      (ready, minute) => settled(minute) && Math.abs(ready - (plain.supply[minute] as number)) > 1,
    );
    expect(twin.supply.filter((_, minute) => settled(minute)).length).toBeGreaterThan(twin.supply.length / 2);
    expect(apart).toEqual([]);
    expect(Math.abs(twin.sloViolationMinutes - plain.sloViolationMinutes)).toBeLessThanOrEqual(2);
    expect(twin.instanceHours).toBeCloseTo(plain.instanceHours, 0);
    // The campaign was pre-warmed for both: the spike's first minute is served.
    const spike = (built.spikeStartMs - built.scenario.evalStartMs) / 60_000;
    expect(twin.supply[spike]).toBeGreaterThanOrEqual(twin.demand[spike] as number);
  });
});
