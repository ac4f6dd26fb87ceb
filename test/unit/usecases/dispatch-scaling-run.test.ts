import { parseConfig } from '../../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { GroupWorkItem } from '../../../shared/ports/group-work-queue';
import type { ScheduledCapacityAction } from '../../../shared/ports/scheduled-capacity';
import { dispatchScalingRun } from '../../../shared/usecases/dispatch-scaling-run';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';

const NOW = Date.parse('2026-03-01T10:07:31Z');
/** NOW floored to the 5-minute rate. */
const TICK = Date.parse('2026-03-01T10:05:00Z');
const RATE_MS = 5 * 60_000;

/** `api`, `db` and `web` are enrolled, by name and by tag; `legacy` exists but is not. */
function setup(config: Partial<UserConfigInput> = {}, stateStore?: MemoryStateStore) {
  const queued: GroupWorkItem[] = [];
  const enrolment = { 'prescale:enabled': 'true' };
  const deps = {
    scalingTarget: new FakeScalingTarget([
      ...['api', 'db', 'web'].map((name) => groupSnapshot({ name, tags: enrolment })),
      groupSnapshot({ name: 'legacy' }),
    ]),
    queue: {
      enqueue: async (items: readonly GroupWorkItem[]) => {
        queued.push(...items);
        return [];
      },
    },
    clock: { nowMs: () => NOW },
    ...(stateStore ? { stateStore } : {}),
  };
  const parsed = parseConfig(
    userConfigSchema,
    { groups: { names: ['api', 'db', 'web'] }, ...config },
    'test',
  );
  return { queued, dispatch: () => dispatchScalingRun(deps, parsed) };
}

const order = (items: readonly GroupWorkItem[]) => items.map((i) => i.groupName);

describe('dispatchScalingRun', () => {
  it('queues upstream groups before their downstream groups, all for the floored tick', async () => {
    const { queued, dispatch } = setup({
      dependencies: {
        edges: [
          { from: 'web', to: 'api' },
          { from: 'api', to: 'db' },
        ],
      },
    });
    expect(await dispatch()).toEqual({
      tickMs: TICK,
      enrolledGroups: 3,
      namedGroupsNotFound: [],
      enqueued: 3,
      failedToEnqueue: [],
      staleGroups: [],
      takenOut: [],
      dependenciesLeftOut: [],
    });
    expect(order(queued)).toEqual(['web', 'api', 'db']);
    expect(queued.every((i) => i.tickMs === TICK)).toBe(true);
  });

  it('orders by the edges among enrolled groups, reporting each dependency on a group not enrolled', async () => {
    // Enrolled by tag, names unknown at synth: `legacy` exists untagged, `retired` and `cache` not at all.
    const { queued, dispatch } = setup({
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      dependencies: {
        edges: [
          { from: 'legacy', to: 'web' },
          { from: 'web', to: 'api' },
          { from: 'api', to: 'db' },
          { from: 'db', to: 'retired' },
        ],
        xray: { enabled: true, serviceToGroup: { 'orders-api': 'api', 'cache-svc': 'cache' } },
      },
    });
    const result = await dispatch();
    expect(order(queued)).toEqual(['web', 'api', 'db']);
    expect(result.dependenciesLeftOut).toEqual([
      `edge 0 (legacy → web): unknown group "legacy"; expected one of the enrolled groups (api, db, web): the edge is left out of this tick's runs`,
      `edge 3 (db → retired): unknown group "retired"; expected one of the enrolled groups (api, db, web): the edge is left out of this tick's runs`,
      `xray.serviceToGroup cache-svc → cache: unknown group "cache", not enrolled: the edges X-Ray shows for cache-svc are left out of this tick's runs`,
    ]);
  });

  it('names no X-Ray service while discovery is off: its mapping is never read', async () => {
    const { dispatch } = setup({
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      dependencies: { xray: { enabled: false, serviceToGroup: { 'cache-svc': 'cache' } } },
    });
    expect((await dispatch()).dependenciesLeftOut).toEqual([]);
  });

  it('reports groups whose last run is older than two rates, not those never run', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('api', { planningQuantile: 0.9, updatedAtMs: TICK - 2 * RATE_MS - 1 });
    await stateStore.putGroupState('db', { planningQuantile: 0.9, updatedAtMs: TICK - 2 * RATE_MS });
    const { dispatch } = setup({}, stateStore);
    expect((await dispatch()).staleGroups).toEqual(['api']);
  });
});

describe('dispatchScalingRun and a named group Auto Scaling does not know', () => {
  /** Only `web` exists (tagged for enrolment, `legacy` not): `api` was misspelt, deleted or is in another region. */
  const dispatchNaming = (groups: UserConfigInput['groups']) =>
    dispatchScalingRun(
      {
        scalingTarget: new FakeScalingTarget([
          groupSnapshot({ name: 'web', tags: { 'prescale:enabled': 'true' } }),
          groupSnapshot({ name: 'legacy' }),
        ]),
        queue: { enqueue: async () => [] },
        clock: { nowMs: () => NOW },
      },
      parseConfig(userConfigSchema, { groups }, 'test'),
    );

  it('names it, queuing the groups found', async () => {
    expect(await dispatchNaming({ names: ['web', 'api'] })).toMatchObject({
      enrolledGroups: 1,
      enqueued: 1,
      namedGroupsNotFound: ['api'],
    });
  });

  it('names none when every named group exists, whichever lookup found it', async () => {
    const tag = { key: 'prescale:enabled', value: 'true' };
    expect((await dispatchNaming({ names: ['web', 'legacy'] })).namedGroupsNotFound).toEqual([]);
    expect((await dispatchNaming({ names: ['web'], tag })).namedGroupsNotFound).toEqual([]);
    expect((await dispatchNaming({ names: ['api', 'api'], tag })).namedGroupsNotFound).toEqual(['api']);
  });
});

describe('dispatchScalingRun and a group taken out while Prescale is held', () => {
  const OURS = { 'prescale:deployment': 'Prescale' };
  const HOUR_MS = 3_600_000;
  /** `legacy`, no longer enrolled, with this deployment's look-ahead on its MinSize 9: a pre-warm and the give-back of 2. */
  async function takenOut(options: {
    readonly paused?: boolean;
    readonly dryRun?: boolean;
    readonly ownerActions?: readonly ScheduledCapacityAction[];
  }) {
    const scalingTarget = new FakeScalingTarget([
      groupSnapshot({ name: 'web' }),
      groupSnapshot({ name: 'legacy', minSize: 9, desiredCapacity: 9, maxSize: 20, tags: OURS }),
    ]);
    const preWarm = { name: 'prescale-20260301T1100Z', startMs: TICK + HOUR_MS, minSize: 9 };
    const giveBack = { name: 'prescale-20260302T1000Z', startMs: TICK + 24 * HOUR_MS, minSize: 2 };
    const scheduledCapacity = new FakeScheduledCapacity({
      legacy: [preWarm, giveBack, ...(options.ownerActions ?? [])],
    });
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('legacy', { planningQuantile: 0.6, updatedAtMs: TICK, userMinSize: 2 });
    const groupOwnership = new RecordingGroupOwnership({ target: scalingTarget });
    const deps = {
      scalingTarget,
      queue: { enqueue: async () => [] },
      clock: { nowMs: () => NOW },
      release: {
        scalingTarget,
        scheduledCapacity,
        groupOwnership,
        stateStore,
        prewarms: new MemoryCampaigns(),
        isGloballyPaused: async () => options.paused === true,
        // The tick is 10:05; the dispatch runs at 10:07:31.
        clock: { nowMs: () => NOW },
      },
    };
    const config = parseConfig(
      userConfigSchema,
      { groups: { names: ['web'] }, mode: 'forecast-and-scale', dryRun: options.dryRun === true },
      'test',
    );
    const result = await dispatchScalingRun(deps, config);
    return { result, scalingTarget, scheduledCapacity, groupOwnership, giveBack };
  }

  it.each([
    ['the kill switch is set', { paused: true }],
    ['the run is a dry run', { dryRun: true }],
  ])(
    'deletes its look-ahead when %s, but the give-back, and leaves its bounds and tag',
    async (_n, options) => {
      const { result, scalingTarget, scheduledCapacity, groupOwnership, giveBack } = await takenOut(options);
      expect(result.takenOut).toEqual([
        expect.objectContaining({
          kind: 'held',
          groupName: 'legacy',
          removedActions: 1,
          givesBack: giveBack,
        }),
      ]);
      expect(result).not.toHaveProperty('takenOutSkipped');
      expect(scheduledCapacity.of('legacy')).toEqual([giveBack]);
      expect(scalingTarget.groups.get('legacy')).toMatchObject({ minSize: 9, maxSize: 20, tags: OURS });
      expect([scalingTarget.updates, groupOwnership.released]).toEqual([[], []]);
    },
  );

  it('gives it back in full once nothing holds Prescale', async () => {
    const { result, scalingTarget, scheduledCapacity } = await takenOut({});
    expect(result.takenOut).toEqual([expect.objectContaining({ kind: 'released', removedActions: 2 })]);
    expect(scheduledCapacity.of('legacy')).toEqual([]);
    expect(scalingTarget.groups.get('legacy')).toMatchObject({ minSize: 2, tags: {} });
  });

  it("gives it back at the time it runs, not the tick's: an owner's MinSize 10 set since the tick is not lowered to the night's 2", async () => {
    const ownerActions = [
      { name: 'business-hours', recurrence: '6 10 * * *', minSize: 10 },
      { name: 'night', recurrence: '0 20 * * *', minSize: 2 },
    ];
    const { result, scalingTarget } = await takenOut({ ownerActions });
    expect(result.takenOut).toEqual([expect.objectContaining({ kind: 'released' })]);
    // The release never raises: Prescale's 9 stays, under the owner's 10.
    expect(scalingTarget.groups.get('legacy')).toMatchObject({ minSize: 9 });
  });
});

describe('dispatchScalingRun and the work items SQS does not take', () => {
  /** A queue whose first `refusals` sends leave out `web`'s item. */
  function refusingQueue(refusals: number) {
    const sends: string[][] = [];
    return {
      sends,
      enqueue: async (items: readonly GroupWorkItem[]) => {
        sends.push(items.map((i) => i.groupName));
        return sends.length <= refusals ? items.filter((i) => i.groupName === 'web') : [];
      },
    };
  }
  const dispatchWith = (queue: ReturnType<typeof refusingQueue>) =>
    dispatchScalingRun(
      {
        scalingTarget: new FakeScalingTarget(['api', 'web'].map((name) => groupSnapshot({ name }))),
        queue,
        clock: { nowMs: () => NOW },
      },
      parseConfig(userConfigSchema, { groups: { names: ['api', 'web'] } }, 'test'),
    );

  it('sends them once more, and reports none when SQS takes them then', async () => {
    const queue = refusingQueue(1);
    expect(await dispatchWith(queue)).toMatchObject({ enqueued: 2, failedToEnqueue: [] });
    expect(queue.sends).toEqual([['api', 'web'], ['web']]);
  });

  it('reports the groups SQS refused twice', async () => {
    const queue = refusingQueue(2);
    expect(await dispatchWith(queue)).toMatchObject({ enqueued: 1, failedToEnqueue: ['web'] });
  });
});
