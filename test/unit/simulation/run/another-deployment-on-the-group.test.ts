import type { RunRecord } from '../../../../shared/ports/state-store';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas, SIMULATED_DEPLOYMENT } from '../../../../shared/simulation/run/prescale-lambdas';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2024, 2, 4);
const TARGET = 50;
/** About 300 load all day: six instances of 50, where every group starts at one. */
const loadAt = (ms: number) => 300 + 20 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS);
const STAGING = 'PrescaleStaging';
const ENROLLED = { 'prescale:enabled': 'true' };

const GROUPS: Record<string, Record<string, string>> = {
  unowned: ENROLLED,
  ours: { ...ENROLLED, 'prescale:deployment': SIMULATED_DEPLOYMENT },
  theirs: { ...ENROLLED, 'prescale:deployment': STAGING },
  // Forecast-only here would delete every prescale- action it finds, the other deployment's too.
  watched: { ...ENROLLED, 'prescale:deployment': STAGING, 'prescale:mode': 'forecast-only' },
  // Auto Scaling takes at most 50 tags on a group: no room for the ownership tag.
  crowded: { ...ENROLLED, ...Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`team:${i}`, 'x'])) },
};

/** Two deployments that enrol the same groups: the other one is its ownership tags and its look-ahead. */
describe('a group another Prescale deployment manages, through the deployed handlers', () => {
  let lambdas: PrescaleLambdas;
  let world: SimulatedWorld;
  const records = async (name: string): Promise<RunRecord[]> => lambdas.runRecords(name, START_MS);

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(
      prescaleConfig({ targetLoadPerInstance: TARGET, prescaleStepSeconds: 3600 }),
    );
    world = new SimulatedWorld({ startMs: START_MS - HOUR_MS, seed: 3 });
    for (const [name, tags] of Object.entries(GROUPS)) {
      world.createGroup(
        webGroupSpec({ name, minSize: 1, desiredCapacity: 1, tags, targetTrackingCpu: TARGET }),
      );
      world.seedHistory(name, START_MS - 7 * DAY_MS, START_MS, loadAt, TARGET);
    }
    // The other deployment's look-ahead on its groups.
    for (const name of ['theirs', 'watched'])
      world.autoScaling.putScheduledUpdateGroupAction({
        AutoScalingGroupName: name,
        ScheduledActionName: 'prescale-next',
        StartTime: new Date(START_MS + HOUR_MS),
        MinSize: 4,
      });
    await lambdas.attach(world);
    world.advanceTo(START_MS);
    for (let tick = 0; tick < 2; tick += 1) {
      const result = await lambdas.tick();
      // The crowded group's run fails (its message dead-lettered); the others run.
      expect([result.handlerErrors, result.failedItems, result.deadLettered]).toEqual([[], 1, 1]);
      world.advanceTo(world.clock.nowMs() + 5 * 60_000);
    }
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('takes a group no deployment owns on its first run that may change it, and manages it after', async () => {
    expect(tagsOf('unowned')['prescale:deployment']).toBe(SIMULATED_DEPLOYMENT);
    // A tag of the group alone: its instances do not carry it.
    const described = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['unowned'] }) as {
      AutoScalingGroups: { Tags: { Key: string; PropagateAtLaunch: boolean }[] }[];
    };
    expect(described.AutoScalingGroups[0]?.Tags).toContainEqual(
      expect.objectContaining({ Key: 'prescale:deployment', PropagateAtLaunch: false }),
    );
    const [first] = await records('unowned');
    expect(first?.outcome.kind).toBe('applied');
    expect(world.autoScaling.counts('unowned').minSize).toBeGreaterThan(1);
    expect(actionNames('unowned').length).toBeGreaterThan(0);
  });

  it('acts on a group it manages already, as on one it just took', async () => {
    const [first] = await records('ours');
    expect(first?.outcome).toEqual((await records('unowned'))[0]?.outcome);
  });

  it.each(['theirs', 'watched'])(
    "holds %s, changing nothing and leaving the other deployment's look-ahead",
    async (name) => {
      expect(await records(name)).toHaveLength(2);
      for (const record of await records(name)) {
        expect(record.outcome).toEqual({
          kind: 'held',
          reason: `group is managed by Prescale deployment "${STAGING}" (its prescale:deployment tag), not "${SIMULATED_DEPLOYMENT}": enrol it in one deployment only, or delete the tag if that deployment no longer exists`,
        });
      }
      expect(world.autoScaling.counts(name)).toMatchObject({ minSize: 1, desiredCapacity: 1 });
      expect(actionNames(name)).toEqual(['prescale-next']);
      expect(tagsOf(name)['prescale:deployment']).toBe(STAGING);
    },
  );

  it('fails the run of a group with no room for the ownership tag, changing nothing (its work dead-lettered)', async () => {
    expect(await records('crowded')).toEqual([]);
    expect(lambdas.deadLetters().map((m) => JSON.parse(m.body).groupName)).toEqual(['crowded', 'crowded']);
    expect(world.autoScaling.counts('crowded')).toMatchObject({ minSize: 1, desiredCapacity: 1 });
    expect(actionNames('crowded')).toEqual([]);
  });

  function actionNames(groupName: string): string[] {
    const out = world.autoScaling.describeScheduledActions({ AutoScalingGroupName: groupName }) as {
      ScheduledUpdateGroupActions: { ScheduledActionName: string }[];
    };
    return out.ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName).sort();
  }

  function tagsOf(groupName: string): Record<string, string> {
    const out = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [groupName] }) as {
      AutoScalingGroups: { Tags: { Key: string; Value: string }[] }[];
    };
    return Object.fromEntries((out.AutoScalingGroups[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));
  }
});
