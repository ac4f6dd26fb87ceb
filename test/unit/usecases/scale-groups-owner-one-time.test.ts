import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { forecastOf, SCALE_GROUPS_NOW_MS as NOW, scaleGroupsConfig } from '../../helpers/scale-groups-setup';
import { simulatedWebGroup } from '../../helpers/simulated-web-group';

const MINUTE_MS = 60_000;

/**
 * `web` in the simulated Auto Scaling (MinSize 2, target tracking at 60 % CPU, load for 2
 * instances) driven by the real adapters, with the owner's one-time launch-day action: MinSize 12
 * at 12:30. `runUntil` runs the loop every 5 minutes, the world moving on between.
 */
function launchDay() {
  const { world, deps, stateStore, clock, minSize } = simulatedWebGroup(
    20,
    forecastOf(() => 100),
  );
  world.autoScaling.putScheduledUpdateGroupAction({
    AutoScalingGroupName: 'web',
    ScheduledActionName: 'launch-day-prewarm',
    StartTime: new Date(NOW + 30 * MINUTE_MS),
    MinSize: 12,
  });
  const config = scaleGroupsConfig({
    groups: { names: ['web'] },
    defaults: {
      floorCapacity: 2,
      targetLoadPerInstance: 60,
      maxChangePerTick: 10,
      defaultLeadTimeSeconds: 600,
    },
  });
  /** Runs the loop every 5 minutes up to `minutes` after noon; the MinSize after each, by minute. */
  const runUntil = async (minutes: number) => {
    const seen = new Map<number, number | undefined>();
    for (let t = (clock.ms - NOW) / MINUTE_MS + 5; t <= minutes; t += 5) {
      clock.ms = NOW + t * MINUTE_MS;
      for (let ms = world.clock.nowMs(); ms <= clock.ms; ms += 15_000) world.advanceTo(ms);
      await scaleGroups(deps, config, [{ groupName: 'web', tickMs: clock.ms }]);
      world.advanceTo(clock.ms + 30_000);
      seen.set(t, minSize());
    }
    return seen;
  };
  return { world, stateStore, runUntil, minSize };
}

afterEach(() => overrideAwsTransport(undefined));

describe("scaleGroups and the owner's one-time scheduled MinSize", () => {
  it('keeps the MinSize a one-time action set as the floor once Auto Scaling has run and deleted it', async () => {
    const w = launchDay();
    const seen = await w.runUntil(120);
    expect(seen.get(25)).toBe(2);
    for (const [minute, minSize] of seen) if (minute >= 30) expect([minute, minSize]).toEqual([minute, 12]);
    expect((await w.stateStore.getGroupState('web'))?.ownerOneTimeMinSizes).toEqual([
      { name: 'launch-day-prewarm', atMs: NOW + 30 * MINUTE_MS, minSize: 12, inEffect: true },
    ]);
    const record = w.stateStore.records.get('web')?.at(-1);
    expect(record?.outcome.reason).toContain(
      'floor 12 from the group\'s scheduled action "launch-day-prewarm" (run 2026-03-02T12:30:00.000Z)',
    );
  });

  it('schedules the look-ahead no lower than a pending one-time MinSize from its time on', async () => {
    const w = launchDay();
    await w.runUntil(5);
    const ours = (
      w.world.autoScaling.describeScheduledActions({ AutoScalingGroupName: 'web' }) as {
        ScheduledUpdateGroupActions: { ScheduledActionName: string; StartTime: Date; MinSize: number }[];
      }
    ).ScheduledUpdateGroupActions.filter((a) => a.ScheduledActionName.startsWith('prescale-'));
    const after = ours.filter((a) => a.StartTime.getTime() > NOW + 30 * MINUTE_MS);
    expect(after.length).toBeGreaterThan(0);
    for (const a of after) expect(a.MinSize).toBeGreaterThanOrEqual(12);
  });

  it('lets it go once the owner lowers MinSize below it by hand', async () => {
    const w = launchDay();
    await w.runUntil(60);
    w.world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MinSize: 4 });
    const seen = await w.runUntil(90);
    expect(seen.get(90)).toBe(2);
    expect((await w.stateStore.getGroupState('web'))?.ownerOneTimeMinSizes).toBeUndefined();
  });
});
