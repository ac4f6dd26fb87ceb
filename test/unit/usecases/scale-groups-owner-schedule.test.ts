import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { TransientDependencyError } from '../../../shared/ports/errors';
import type { ScheduledCapacityAction } from '../../../shared/ports/scheduled-capacity';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import {
  SCALE_GROUPS_NOW_MS,
  scaleGroupsConfig,
  scaleGroupsItem,
  scaleGroupsSetup,
} from '../../helpers/scale-groups-setup';

const HOUR_MS = 3_600_000;
/** The owner's business hours (the clock is a Monday noon): MinSize 8 from 08:00, 3 from 20:00. */
const BUSINESS_HOURS: ScheduledCapacityAction[] = [
  { name: 'open', recurrence: '0 8 * * *', minSize: 8 },
  { name: 'close', recurrence: '0 20 * * *', minSize: 3 },
];
/** The same, closed since 11:00. */
const CLOSED_AT_ELEVEN: ScheduledCapacityAction[] = [
  { name: 'open', recurrence: '0 8 * * *', minSize: 8 },
  { name: 'close', recurrence: '0 11 * * *', minSize: 3 },
];

/**
 * `web` at the MinSize 8 the owner's 08:00 action set, with a target-tracking policy; 100 load (2
 * instances). `prepare` may change the world (its state store, its clock) before the run.
 */
async function runWith(
  actions: readonly ScheduledCapacityAction[],
  scheduledCapacity?: FakeScheduledCapacity,
  options: {
    readonly config?: Partial<UserConfigInput>;
    readonly prepare?: (world: ReturnType<typeof scaleGroupsSetup>) => Promise<void>;
  } = {},
) {
  const world = scaleGroupsSetup([
    groupSnapshot({ name: 'web', minSize: 8, desiredCapacity: 8, maxSize: 20, hasScalingPolicies: true }),
  ]);
  await options.prepare?.(world);
  const scheduled = scheduledCapacity ?? new FakeScheduledCapacity({ web: actions });
  const [result] = await scaleGroups(
    { ...world.deps, scheduledCapacity: scheduled },
    scaleGroupsConfig({
      groups: { names: ['web'] },
      defaults: { floorCapacity: 2, targetLoadPerInstance: 60 },
      ...options.config,
    }),
    [scaleGroupsItem()],
  );
  const web = world.scalingTarget.groups.get('web');
  const lookAhead = scheduled.of('web').filter((a) => a.name.startsWith('prescale-'));
  return { result, web, lookAhead: lookAhead.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0)) };
}

/** A rolling update's lock on `web` that ends a second after the batch starts; the run plans 2 s later. */
async function lockEndingWhilePlanning(world: ReturnType<typeof scaleGroupsSetup>): Promise<void> {
  await world.stateStore.acquireLock({
    groupName: 'web',
    holder: 'rolling-update:web:7',
    acquiredAtMs: SCALE_GROUPS_NOW_MS - HOUR_MS,
    expiresAtMs: SCALE_GROUPS_NOW_MS + 1000,
  });
  let reads = 0;
  world.deps.clock = { nowMs: () => SCALE_GROUPS_NOW_MS + (reads++ === 0 ? 0 : 2000) };
}

/** The state store's first lock read fails (throttled), the next ones answer. */
async function lockReadFailingOnce(world: ReturnType<typeof scaleGroupsSetup>): Promise<void> {
  const getLock = world.stateStore.getLock.bind(world.stateStore);
  let reads = 0;
  world.stateStore.getLock = async (groupName, nowMs) => {
    reads += 1;
    if (reads === 1) throw new TransientDependencyError('DynamoDB', 'GetItem');
    return getLock(groupName, nowMs);
  };
}

describe("scaleGroups on a group the owner's own recurring actions size", () => {
  it('keeps the MinSize the schedule set as the floor, and says so', async () => {
    const { result, web } = await runWith(BUSINESS_HOURS);
    expect(web?.minSize).toBe(8);
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      'floor 8 from the group\'s scheduled action "open" (run 2026-03-02T08:00:00.000Z)',
    );
  });

  it("holds the schedule's later, lower MinSize once it has run", async () => {
    const { result, web } = await runWith(CLOSED_AT_ELEVEN);
    expect(web?.minSize).toBe(3);
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      'floor 3 from the group\'s scheduled action "close" (run 2026-03-02T11:00:00.000Z)',
    );
  });

  it('plans from its own floor where the schedule holds less', async () => {
    const lower = CLOSED_AT_ELEVEN.map((a) => (a.name === 'close' ? { ...a, minSize: 1 } : a));
    const { result, web } = await runWith(lower);
    expect(web?.minSize).toBe(2);
    expect(result?.kind === 'ran' && result.outcome.reason).not.toContain('scheduled action');
  });

  it('lowers a MinSize set by hand (not by a recurring action), as before', async () => {
    const { web } = await runWith([{ name: 'once', startMs: SCALE_GROUPS_NOW_MS + HOUR_MS, minSize: 8 }]);
    expect(web?.minSize).toBeLessThan(8);
  });

  it("schedules the look-ahead no lower than the schedule's MinSize, and gives back what it holds at the end", async () => {
    const { lookAhead } = await runWith(BUSINESS_HOURS);
    const beforeClose = lookAhead.filter((a) => (a.startMs ?? 0) < SCALE_GROUPS_NOW_MS + 8 * HOUR_MS);
    expect(beforeClose.length).toBeGreaterThan(0);
    for (const action of beforeClose) expect(action.minSize).toBeGreaterThanOrEqual(8);
    // The look-ahead ends at noon tomorrow, in business hours.
    expect(lookAhead.at(-1)).toMatchObject({ startMs: SCALE_GROUPS_NOW_MS + 24 * HOUR_MS, minSize: 8 });
  });

  it.each([
    ['its lock read failed before planning', lockReadFailingOnce],
    ["a rolling update's lock ended while it planned", lockEndingWhilePlanning],
  ])("keeps the schedule's floor in a run applied although %s", async (_name, prepare) => {
    const { result, web } = await runWith(BUSINESS_HOURS, undefined, { prepare });
    expect(web?.minSize).toBe(8);
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      'floor 8 from the group\'s scheduled action "open"',
    );
  });

  it("plans with the schedule's floor in a dry run, and its record says so", async () => {
    const { result, web } = await runWith(BUSINESS_HOURS, undefined, { config: { dryRun: true } });
    expect(result).toMatchObject({ kind: 'ran', plannedCapacity: 8 });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain('floor 8 from');
    expect(web?.minSize).toBe(8);
  });

  it("plans with the schedule's floor in forecast-only mode", async () => {
    const { result } = await runWith(BUSINESS_HOURS, undefined, { config: { mode: 'forecast-only' } });
    expect(result).toMatchObject({ kind: 'ran', plannedCapacity: 8, outcome: { kind: 'held' } });
  });

  it('fails the run, changing nothing, when the scheduled actions cannot be read', async () => {
    const scheduled = new FakeScheduledCapacity({ web: BUSINESS_HOURS });
    scheduled.scheduledActions = async () => {
      throw new Error('Throttling: Rate exceeded');
    };
    const { result, web } = await runWith(BUSINESS_HOURS, scheduled);
    expect(result).toMatchObject({ kind: 'failed', error: { message: 'Throttling: Rate exceeded' } });
    expect(web).toMatchObject({ minSize: 8, desiredCapacity: 8 });
  });
});
