import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import type { CampaignWindow, LoadObservation } from '../../../shared/core/forecast/types';
import { TransientDependencyError } from '../../../shared/ports/errors';
import { chooseUpdateWindow } from '../../../shared/usecases/choose-update-window';
import type { CampaignWindowsFn } from '../../../shared/usecases/group-forecaster';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryUpdatePlanStore } from '../../fakes/memory-update-plan-store';
import { validPlan } from '../../fixtures/valid-plan';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const STEP_MS = 300_000;
const config = parseConfig(userConfigSchema, { groups: { names: ['web'] } }, 'test');
const plan = validPlan({
  deadlineMs: NOW + 4 * HOUR_MS,
  original: { minSize: 1, maxSize: 8, desiredCapacity: 4 },
});

/** Three days of a flat 120 every five minutes up to now: two instances' load at 60. */
const flatHistory: LoadObservation[] = Array.from({ length: 3 * 288 }, (_, i) => ({
  timestampMs: NOW - (3 * 288 - i) * STEP_MS,
  value: 120,
}));

/** A sale of four times the load from now for two hours. */
const sale: CampaignWindow = {
  campaignId: 'sale',
  startMs: NOW,
  endMs: NOW + 2 * HOUR_MS,
  uplift: { kind: 'multiplier', factor: 4 },
  rampUpSeconds: 0,
};

/** The window `web` (4 instances, at most 8: 7 healthy at MaxSize, 420 load at 60) gets with `campaignsFor`. */
function chooseWith(
  campaignsFor?: CampaignWindowsFn,
  loadHistory: () => Promise<Map<string, LoadObservation[]>> = async () => new Map([['web', flatHistory]]),
) {
  return chooseUpdateWindow(
    {
      scalingTarget: new FakeScalingTarget([
        groupSnapshot({ name: 'web', desiredCapacity: 4, inServiceCapacity: 4, maxSize: 8 }),
      ]),
      metricHistory: { loadHistory },
      clock: { nowMs: () => NOW },
      scheduledCapacity: new FakeScheduledCapacity(),
      deployment: 'Prescale',
      forecast: forecastDemand,
      ...(campaignsFor ? { campaignsFor } : {}),
      isGloballyPaused: async () => false,
      plans: new MemoryUpdatePlanStore(),
    },
    config,
    plan,
  );
}

describe("chooseUpdateWindow and the group's campaigns", () => {
  it('starts at once on flat load with no campaign', async () => {
    expect(await chooseWith()).toMatchObject({ decision: 'proceed' });
  });

  it('waits past a sale whose load the capacity left healthy cannot carry, reading the calendar over the history and the refresh', async () => {
    const asked: [number, number, number][] = [];
    const window = await chooseWith(async (group, fromMs, toMs, target) => {
      expect(group).toBe('web');
      asked.push([fromMs, toMs, target]);
      return [{ ...sale, prewarmed: true }];
    });
    // At most an hour at a time; the window it found opens when the sale ends.
    expect(window).toMatchObject({ decision: 'wait', waitSeconds: 3600 });
    expect(window.reason).toContain(`a window opens at ${new Date(NOW + 2 * HOUR_MS).toISOString()}`);
    const [fromMs, toMs, target] = asked[0] ?? [];
    expect(fromMs).toBe(flatHistory[0]?.timestampMs);
    expect(toMs).toBeGreaterThan(NOW + 4 * HOUR_MS);
    expect(target).toBe(60);
  });

  it('fails when the calendar may answer later, rather than choosing a window without its campaigns', async () => {
    const throttled = new TransientDependencyError('DynamoDB', 'Query', { refused: true });
    await expect(
      chooseWith(async () => {
        throw throttled;
      }),
    ).rejects.toBe(throttled);
  });

  it('fails when the load history may answer later, rather than assuming full load without the campaigns', async () => {
    const throttled = new TransientDependencyError('CloudWatch', 'GetMetricData', { refused: true });
    await expect(
      chooseWith(
        async () => [sale],
        async () => {
          throw throttled;
        },
      ),
    ).rejects.toBe(throttled);
  });

  it('assumes full load at in-service capacity when the group has no history and no campaign', async () => {
    const window = await chooseWith(
      async () => [],
      async () => new Map(),
    );
    expect(window).toMatchObject({ decision: 'proceed', peakLoad: 4 * 60 });
    expect(window.reason).toContain('(no forecast: EmptySeriesError; assumed full load 240)');
  });

  it('raises the full load it assumes without history by the sale, and waits past it', async () => {
    const noHistory = async () => new Map();
    // Four times 240 over the sale, where 7 healthy instances carry 420: the window opens at its end.
    const window = await chooseWith(async () => [sale], noHistory);
    expect(window).toMatchObject({ decision: 'wait', waitSeconds: 3600 });
    expect(window.reason).toContain(`a window opens at ${new Date(NOW + 2 * HOUR_MS).toISOString()}`);
    expect(window.reason).toContain(
      '(no forecast: EmptySeriesError; assumed full load 240, raised by campaign sale)',
    );
    // A history read AWS refused (not one to retry) reads the calendar all the same.
    const refused = async () => {
      throw new Error('AccessDenied');
    };
    const unread = await chooseWith(async () => [sale], refused);
    expect(unread).toMatchObject({ decision: 'wait', waitSeconds: 3600 });
    expect(unread.reason).toContain('assumed full load 240, raised by campaign sale');
  });
});
