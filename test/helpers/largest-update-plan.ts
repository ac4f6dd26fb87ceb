import { parseConfig } from '../../shared/contracts/parse-config';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { HighsMixSolver } from '../../shared/solvers/highs-mix-solver';
import { PlanCalendarTooLargeError, readPlanCalendar } from '../../shared/usecases/read-plan-calendar';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryCampaigns } from '../fakes/memory-campaigns';
import { MemoryDiscoveredDependencyStore } from '../fakes/memory-discovered-dependency-store';
import { upperBoundForecast } from './demand-forecast';
import { ONE_PRICE } from './one-price';

const HOUR_MS = 3_600_000;

/**
 * The largest update plan a configuration allows: ten groups (a plan's most) with the longest
 * names Auto Scaling allows (255 characters), enrolled by tag, the first three in a chain of
 * dependencies (as many edges of such names as fit in the 3,000 bytes the configuration may take
 * in a Lambda's environment), in 15-minute slots (the shortest) over 13 hours (past the planner's
 * 48 slots). Its explanations grow with slots × groups × name length.
 */
export const LARGEST_PLAN_GROUPS = Array.from({ length: 10 }, (_, i) => `${'g'.repeat(252)}-${i}${i}`);

const ENROLMENT_TAG = { key: 'prescale:enabled', value: 'true' };

/** The user configuration that enrols the groups by tag, with the chain of dependencies. */
export const LARGEST_PLAN_CONFIG = {
  mode: 'forecast-and-scale',
  groups: { tag: ENROLMENT_TAG },
  dependencies: {
    edges: LARGEST_PLAN_GROUPS.slice(1, 3).map((to, i) => ({ from: LARGEST_PLAN_GROUPS[i] as string, to })),
  },
  // A 60 s warmup makes a 4-instance refresh 12 minutes, which a 15-minute slot may hold.
  rollingUpdate: { planMaxConcurrentUpdates: 10, instanceWarmupSeconds: 60 },
};

/** The plan request from `startMs`: every group to version 7. */
export function largestPlanRequest(startMs: number) {
  return {
    groups: LARGEST_PLAN_GROUPS.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
    slotMinutes: 15,
    deadline: new Date(startMs + 13 * HOUR_MS).toISOString(),
  };
}

/**
 * compute-update-plan's dependencies for those groups (4 of at most 8 instances each, on version
 * 6), with a load above their desired capacity half of the time, so every such slot a group does
 * not take is also a warning.
 */
export function largestPlanDeps(nowMs: () => number) {
  const groups = LARGEST_PLAN_GROUPS.map((name, i) =>
    groupSnapshot({
      name,
      desiredCapacity: 4,
      inServiceCapacity: 4,
      maxSize: 8,
      launchTemplate: { id: `lt-${i}`, version: '6' },
      tags: { [ENROLMENT_TAG.key]: ENROLMENT_TAG.value },
    }),
  );
  return {
    scalingTarget: new FakeScalingTarget(groups),
    metricHistory: { loadHistory: async () => new Map() },
    forecast: upperBoundForecast((ms) => 180 + 120 * Math.sin(ms / HOUR_MS), nowMs),
    prices: ONE_PRICE,
    solver: new HighsMixSolver(),
    launchTemplates: {
      launchTemplate: async (id: string) => ({ launchTemplateId: id, versionNumber: 6 }),
    },
    clock: { nowMs },
    deployment: 'Prescale',
    discoveredDependencies: new MemoryDiscoveredDependencyStore(),
  };
}

/**
 * The largest campaign calendar "Read campaign calendar" hands on for the largest plan: campaigns
 * with the longest ids and kinds (48 and 64 characters), each naming every group, half an hour
 * apart in the groups' history (which the read covers), as many as fit in `PLAN_CALENDAR_MAX_BYTES`.
 */
export async function largestPlanCalendar(startMs: number): Promise<MemoryCampaigns> {
  const campaigns = new MemoryCampaigns();
  const config = parseConfig(userConfigSchema, LARGEST_PLAN_CONFIG, 'largest plan config');
  const read = () =>
    readPlanCalendar({ calendar: campaigns, clock: { nowMs: () => startMs } }, config, {
      request: largestPlanRequest(startMs),
    });
  const tooLarge = () =>
    read().then(
      () => false,
      (error: unknown) => error instanceof PlanCalendarTooLargeError,
    );
  const ids: string[] = [];
  // Added 32 at a time (a read per campaign would be quadratic), then taken off one by one.
  while (!(await tooLarge())) {
    if (ids.length >= 2000)
      throw new Error(`expected ${ids.length} campaigns to pass PLAN_CALENDAR_MAX_BYTES`);
    for (let n = 0; n < 32; n++) ids.push(await schedule(campaigns, ids.length, startMs));
  }
  while (await tooLarge()) campaigns.campaigns.delete(ids.pop() as string);
  return campaigns;
}

/** Schedules the `i`th campaign of the largest calendar: half an hour before the one before it. */
async function schedule(campaigns: MemoryCampaigns, i: number, startMs: number): Promise<string> {
  const campaignId = `${'c'.repeat(44)}-${String(i).padStart(3, '0')}`;
  await campaigns.schedule(
    {
      campaignId,
      version: 1,
      kind: 'k'.repeat(64),
      groupNames: [...LARGEST_PLAN_GROUPS].sort(),
      startMs: startMs - (i + 1) * 0.5 * HOUR_MS,
      endMs: startMs - (i + 1) * 0.5 * HOUR_MS + 2 * HOUR_MS,
      rampUpSeconds: 86_400,
      expectedLoad: { kind: 'added-load', load: 123_456_789.123 },
      extraInstances: 1000,
      expiresAtMs: startMs + 30 * 24 * HOUR_MS,
    },
    `event-${i}`,
    startMs - 30 * 24 * HOUR_MS,
  );
  return campaignId;
}
