import { parseConfig } from '../../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { constantForecast } from '../../helpers/demand-forecast';
import { scaleGroupsItem, scaleGroupsSetup } from '../../helpers/scale-groups-setup';
import { trackedWebGroup } from '../../helpers/web-group-config';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;

/** `web` in forecast-and-scale mode at a target of 60 and a floor of 2, `overrides` on top. */
const configWith = (overrides: Partial<UserConfigInput> = {}) =>
  parseConfig(
    userConfigSchema,
    {
      groups: { names: ['web'] },
      mode: 'forecast-and-scale',
      defaults: {
        targetLoadPerInstance: 60,
        floorCapacity: 2,
        maxChangePerTick: 50,
        defaultLeadTimeSeconds: 600,
        burstFloorWindowMinutes: 0,
        planningQuantileSeedDays: 0,
      },
      ...overrides,
    },
    'test',
  );

/** One run of `web` (its own target tracking, MaxSize 20, `group` on top) on a flat load of 600. */
async function runOnce(group: Partial<GroupSnapshot>, config = configWith()) {
  const scalingTarget = new FakeScalingTarget([trackedWebGroup(group)]);
  const [result] = await scaleGroups(
    {
      scalingTarget,
      stateStore: new MemoryStateStore(),
      metricHistory: {
        loadHistory: async (queries: readonly { groupName: string }[]) =>
          new Map(queries.map((q) => [q.groupName, [{ timestampMs: NOW - STEP_MS, value: 600 }]])),
      },
      clock: { nowMs: () => NOW },
      forecast: constantForecast(600, NOW),
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    config,
    [{ groupName: 'web', tickMs: NOW }],
  );
  return {
    outcome: result?.kind === 'ran' ? result.outcome : undefined,
    group: scalingTarget.groups.get('web'),
  };
}

describe('scaleGroups with prescale:* tags on the group', () => {
  it('plans at the target the prescale:target-load-per-instance tag sets, over the configured one', async () => {
    // 600 at 60 is 10 instances; at the tag's 40, 15.
    expect((await runOnce({})).group?.minSize).toBe(10);
    const tagged = await runOnce({ tags: { 'prescale:target-load-per-instance': '40' } });
    expect(tagged.outcome).toMatchObject({ kind: 'applied', after: { minSize: 15 } });
  });

  it('takes the tag over the group’s override in the configuration: the most specific wins', async () => {
    const config = configWith({ groupOverrides: { web: { targetLoadPerInstance: 30, floorCapacity: 4 } } });
    expect((await runOnce({}, config)).group?.minSize).toBe(20);
    const tagged = await runOnce({ tags: { 'prescale:target-load-per-instance': '50' } }, config);
    expect(tagged.group?.minSize).toBe(12);
  });

  it('keeps MinSize at the floor the prescale:floor tag sets, never above MaxSize', async () => {
    const floored = await runOnce({ tags: { 'prescale:floor': '13' } });
    expect(floored.outcome).toMatchObject({ kind: 'applied', after: { minSize: 13 } });
    const overMax = await runOnce({ tags: { 'prescale:floor': '500' } });
    expect(overMax.group).toMatchObject({ minSize: 20, maxSize: 20 });
  });

  it('reports a malformed prescale:floor and keeps the configured floor, never reading it as 0', async () => {
    const config = configWith({ groupOverrides: { web: { floorCapacity: 12 } } });
    for (const value of ['', ' ', '-1', '2.0', '0x5', 'ten']) {
      const { outcome, group } = await runOnce({ tags: { 'prescale:floor': value } }, config);
      expect(outcome?.reason).toContain(`ignored tag prescale:floor=${value} (expected a whole number ≥ 0)`);
      expect(group?.minSize).toBe(12);
    }
  });
});

describe('scaleGroups with the prescale:paused tag', () => {
  it('holds the group for any value but false, in any case, and scales it for false', async () => {
    for (const value of ['', 'true', ' false', 'no', '0']) {
      const { outcome, group } = await runOnce({ tags: { 'prescale:paused': value } });
      expect(outcome).toMatchObject({ kind: 'held', reason: expect.stringContaining('paused by tag') });
      expect(group?.minSize).toBe(2);
    }
    for (const value of ['false', 'False', 'FALSE']) {
      const { outcome } = await runOnce({ tags: { 'prescale:paused': value } });
      expect(outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    }
  });
});

describe('scaleGroups with a group override of the metric and step', () => {
  it('reads each group’s load from its own metric at its own step, the others from the defaults', async () => {
    const alb = {
      kind: 'alb-requests',
      targetGroupFullName: 'targetgroup/web/0123456789abcdef',
      loadBalancerFullName: 'app/shop/fedcba9876543210',
    } as const;
    const config = configWith({
      groups: { names: ['web', 'api'] },
      groupOverrides: { web: { metric: alb, stepSeconds: 60, targetLoadPerInstance: 3000 } },
    });
    const { deps, metricHistory } = scaleGroupsSetup([
      groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 }),
      groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2 }),
    ]);
    await scaleGroups(deps, config, [scaleGroupsItem('web'), scaleGroupsItem('api')]);
    const asked = (name: string) => metricHistory.queries.filter((q) => q.groupName === name);
    expect(asked('web').length).toBeGreaterThan(0);
    for (const query of asked('web')) expect(query).toMatchObject({ metric: alb, stepSeconds: 60 });
    expect(asked('api').length).toBeGreaterThan(0);
    for (const query of asked('api'))
      expect(query).toMatchObject({ metric: { kind: 'cpu' }, stepSeconds: 300 });
  });
});
