import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { constantForecast } from '../../helpers/demand-forecast';
import { trackedWebGroup, webGroupConfig } from '../../helpers/web-group-config';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const history = Array.from({ length: 300 }, (_, i) => ({
  timestampMs: NOW - (300 - i) * 300_000,
  value: 300,
}));

/** One run of web, tagged `tags`, in `mode`; the reason its outcome gives. */
async function reasonOf(tags: Record<string, string>, mode: 'forecast-only' | 'forecast-and-scale') {
  const config = webGroupConfig({ burstFloorWindowMinutes: 0, planningQuantileSeedDays: 0, mode });
  const [result] = await scaleGroups(
    {
      scalingTarget: new FakeScalingTarget([trackedWebGroup({ tags } as Partial<GroupSnapshot>)]),
      scheduledCapacity: new FakeScheduledCapacity({}),
      stateStore: new MemoryStateStore(),
      metricHistory: {
        loadHistory: async (qs: readonly { groupName: string }[]) =>
          new Map(qs.map((q) => [q.groupName, history])),
      },
      clock: { nowMs: () => NOW },
      forecast: constantForecast(600, NOW),
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    config,
    [{ groupName: 'web', tickMs: NOW }],
  );
  return result?.kind === 'ran' ? result.outcome : undefined;
}

describe('scaleGroups on a held group with a tag it cannot read', () => {
  it('names the tag beside the hold: a mistyped prescale:mode is why the group is held', async () => {
    const outcome = await reasonOf({ 'prescale:mode': 'forecast_and_scale' }, 'forecast-only');
    expect(outcome).toMatchObject({ kind: 'held' });
    expect(outcome?.reason).toContain('forecast-only');
    expect(outcome?.reason).toContain('ignored tag prescale:mode=forecast_and_scale');
  });

  it('names a misread number too, as it does for a group it scales', async () => {
    const tags = { 'prescale:target-load-per-instance': '6O' };
    const held = await reasonOf(tags, 'forecast-only');
    const scaled = await reasonOf(tags, 'forecast-and-scale');
    for (const outcome of [held, scaled])
      expect(outcome?.reason).toContain(
        'ignored tag prescale:target-load-per-instance=6O (expected a CPU percentage above 0 and below 100)',
      );
  });
});
