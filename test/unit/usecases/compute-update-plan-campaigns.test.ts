import { parseConfig } from '../../../shared/contracts/parse-config';
import type { PlannedUpdate } from '../../../shared/contracts/update-plan';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import { CampaignsNotReadError } from '../../../shared/ports/campaign-calendar';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import { calendarReadForPlan } from '../../../shared/usecases/calendar-read-for-plan';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { computeUpdatePlan } from '../../../shared/usecases/compute-update-plan';
import { readPlanCalendar } from '../../../shared/usecases/read-plan-calendar';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';
import { ONE_PRICE } from '../../helpers/one-price';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const STEP_MS = 300_000;
const config = parseConfig(
  userConfigSchema,
  { mode: 'forecast-and-scale', groups: { names: ['web'] } },
  'test config',
);
const clock = { nowMs: () => NOW };

/** Three days of a flat 120 every five minutes up to now: two instances' load at 60. */
const flatHistory: LoadObservation[] = Array.from({ length: 3 * 288 }, (_, i) => ({
  timestampMs: NOW - (3 * 288 - i) * STEP_MS,
  value: 120,
}));

/** web alone to version 7, in hourly slots over six hours. */
const request = {
  groups: [{ groupName: 'web', launchTemplateVersion: '7' }],
  deadline: new Date(NOW + 6 * HOUR_MS).toISOString(),
};

/** A ×4 sale on web from now for two hours, as the receiver stores it. */
async function calendarWithSale(): Promise<MemoryCampaigns> {
  const calendar = new MemoryCampaigns();
  await calendar.schedule(
    {
      campaignId: 'friday-sale',
      version: 1,
      kind: 'sale',
      groupNames: ['web'],
      startMs: NOW,
      endMs: NOW + 2 * HOUR_MS,
      rampUpSeconds: 0,
      expectedLoad: { kind: 'multiplier', factor: 4 },
      extraInstances: 0,
      expiresAtMs: NOW + 30 * 24 * HOUR_MS,
    },
    'event-1',
    NOW - 24 * HOUR_MS,
  );
  return calendar;
}

/**
 * The plan for web (4 instances, at most 8: 7 healthy at MaxSize, 420 load at 60) on the real
 * forecaster, with the calendar as "Read campaign calendar" reads it for the planner.
 */
function planWith(
  calendar: MemoryCampaigns,
  readFor: unknown = request,
  history: readonly LoadObservation[] = flatHistory,
) {
  return readPlanCalendar({ calendar, clock }, config, { request: readFor }).then((read) =>
    computeUpdatePlan(
      {
        scalingTarget: new FakeScalingTarget([
          groupSnapshot({
            name: 'web',
            desiredCapacity: 4,
            inServiceCapacity: 4,
            maxSize: 8,
            launchTemplate: { id: 'lt-1', version: '6' },
          }),
        ]),
        metricHistory: { loadHistory: async () => new Map([['web', [...history]]]) },
        forecast: forecastDemand,
        campaignsFor: campaignWindowsFor(calendarReadForPlan(read)),
        prices: ONE_PRICE,
        solver: new HighsMixSolver(),
        launchTemplates: {
          launchTemplate: async (id: string) => ({ launchTemplateId: id, versionNumber: 6 }),
        },
        clock,
        deployment: 'Prescale',
        discoveredDependencies: new MemoryDiscoveredDependencyStore(),
      },
      config,
      { request, executionName: 'plan-1' },
      { region: 'eu-west-1' },
    ),
  );
}

async function plannedWith(
  calendar: MemoryCampaigns,
  history: readonly LoadObservation[] = flatHistory,
): Promise<PlannedUpdate> {
  const plan = await planWith(calendar, request, history);
  expect(plan.outcome).toBe('planned');
  return plan as PlannedUpdate;
}

describe("computeUpdatePlan and the groups' campaigns", () => {
  it('takes the first slot on flat load with no campaign', async () => {
    const plan = await plannedWith(new MemoryCampaigns());
    expect(plan.slots.map((s) => s.startMs)).toEqual([NOW]);
  });

  it('moves the slot past a ×4 sale its headroom cannot carry, rejecting the slots in it', async () => {
    const plan = await plannedWith(await calendarWithSale());
    expect(plan.slots.map((s) => s.startMs)).toEqual([NOW + 2 * HOUR_MS]);
    const rejectedSlots = plan.rejected.filter((r) => r.groupName === 'web').map((r) => r.slotIndex);
    expect(rejectedSlots).toEqual(expect.arrayContaining([0, 1]));
    // Four times the flat 120.
    expect(plan.rejected.find((r) => r.slotIndex === 0)?.reasons.join('; ')).toContain('predicted p90 480');
  });

  it('raises the full load it assumes for a group with no history by the sale, and moves the slot past it', async () => {
    // No history: web fully loaded at its 4 in service, 240; four times that over the sale.
    expect((await plannedWith(new MemoryCampaigns(), [])).slots.map((s) => s.startMs)).toEqual([NOW]);
    const plan = await plannedWith(await calendarWithSale(), []);
    expect(plan.slots.map((s) => s.startMs)).toEqual([NOW + 2 * HOUR_MS]);
    expect(plan.rejected.find((r) => r.slotIndex === 0)?.reasons.join('; ')).toContain('predicted p90 960');
  });

  it('fails, rather than plan without campaigns, when the calendar read does not cover a group', async () => {
    // A read for another request (none of its groups): the forecast of web cannot be raised.
    await expect(planWith(await calendarWithSale(), { groups: [] })).rejects.toBeInstanceOf(
      CampaignsNotReadError,
    );
  });
});
