import { parseConfig } from '../../../shared/contracts/parse-config';
import type { PlannedUpdate } from '../../../shared/contracts/update-plan';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import { computeUpdatePlan } from '../../../shared/usecases/compute-update-plan';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';
import { upperBoundForecast } from '../../helpers/demand-forecast';
import { ONE_PRICE } from '../../helpers/one-price';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const TARGET = 60;

/** The versions each launch template has, 1 to this (a target past it does not exist). */
const HIGHEST_VERSION: Readonly<Record<string, number>> = { 'lt-1': 7, 'lt-2': 12, 'lt-3': 4 };

/** web → api → db, each at 4 instances (db at its MaxSize), a group outside the plan, and one on `$Default`. */
function planGroups(): GroupSnapshot[] {
  return [
    groupSnapshot({
      name: 'web',
      desiredCapacity: 4,
      inServiceCapacity: 4,
      maxSize: 8,
      launchTemplate: { id: 'lt-1', version: '6' },
    }),
    groupSnapshot({
      name: 'api',
      desiredCapacity: 4,
      inServiceCapacity: 4,
      maxSize: 8,
      launchTemplate: { id: 'lt-2', version: '$Latest' },
    }),
    groupSnapshot({
      name: 'db',
      desiredCapacity: 4,
      inServiceCapacity: 4,
      maxSize: 4,
      launchTemplate: { id: 'lt-3', version: '3' },
    }),
    groupSnapshot({ name: 'other', launchTemplate: { id: 'lt-1', version: '6' } }),
    groupSnapshot({ name: 'legacy', launchTemplate: { id: 'lt-9', version: '$Default' } }),
  ];
}

function setup(
  options: {
    config?: Partial<UserConfigInput>;
    load?: (ms: number) => number;
    noHistory?: boolean;
    /** Fields over a group's snapshot, by name (a pause tag, suspended processes). */
    groups?: Record<string, Partial<GroupSnapshot>>;
    /** A launch template whose versions past HIGHEST_VERSION exist but launch an image that does not. */
    noImageIn?: string;
  } = {},
) {
  const config = parseConfig(
    userConfigSchema,
    {
      mode: 'forecast-and-scale',
      groups: { names: ['web', 'api', 'db', 'legacy'] },
      dependencies: {
        edges: [
          { from: 'web', to: 'api' },
          { from: 'api', to: 'db' },
        ],
      },
      ...options.config,
    },
    'test config',
  );
  const scalingTarget = new FakeScalingTarget(
    planGroups().map((g) => ({ ...g, ...options.groups?.[g.name] })),
  );
  const load = options.load ?? (() => 2 * TARGET);
  const deps = {
    scalingTarget,
    metricHistory: { loadHistory: async () => new Map() },
    forecast: (input: { stepSeconds: number; horizonSteps: number }) => {
      if (options.noHistory) throw new RangeError('not enough history');
      return upperBoundForecast(load, () => T0)(input);
    },
    prices: ONE_PRICE,
    solver: new HighsMixSolver(),
    launchTemplates: {
      launchTemplate: async (id: string, version: string) => {
        if (id === 'lt-2' && version === '$Latest') return { launchTemplateId: id, versionNumber: 11 };
        const highest = HIGHEST_VERSION[id];
        if (highest !== undefined && /^\d+$/.test(version) && Number(version) <= highest)
          return { launchTemplateId: id, versionNumber: Number(version) };
        if (id === options.noImageIn) throw new ResourceNotFoundError('image', 'ami-gone');
        throw new ResourceNotFoundError('launch template version', `${id}:${version}`);
      },
    },
    clock: { nowMs: () => T0 },
    deployment: 'Prescale',
    discoveredDependencies: new MemoryDiscoveredDependencyStore(),
  };
  return (request: unknown) =>
    computeUpdatePlan(deps, config, { request, executionName: 'plan-1' }, { region: 'eu-west-1' });
}

const all = (extra: Record<string, unknown> = {}) => ({
  groups: [
    { groupName: 'web', launchTemplateVersion: '7' },
    { groupName: 'api', launchTemplateVersion: '12' },
    { groupName: 'db', launchTemplateVersion: '4' },
  ],
  deadline: new Date(T0 + 4 * HOUR_MS).toISOString(),
  ...extra,
});

describe('computeUpdatePlan', () => {
  it('keeps dependent groups in different slots, with children, undo versions and rejected slots', async () => {
    const plan = (await setup()(all())) as PlannedUpdate;
    expect(plan.outcome).toBe('planned');
    const slotOf = new Map(plan.slots.flatMap((s) => s.groups.map((g) => [g.groupName, s.slotIndex])));
    expect(slotOf.get('web')).not.toBe(slotOf.get('api'));
    expect(slotOf.get('api')).not.toBe(slotOf.get('db'));
    expect(plan.groups).toEqual([
      { groupName: 'web', targetVersion: '7', previousVersion: '6', launchTemplateId: 'lt-1' },
      { groupName: 'api', targetVersion: '12', previousVersion: '11', launchTemplateId: 'lt-2' },
      { groupName: 'db', targetVersion: '4', previousVersion: '3', launchTemplateId: 'lt-3' },
    ]);
    const first = plan.slots[0]?.groups[0];
    expect(first?.childName).toBe(`plan-1-s1-${first?.groupName}`);
    expect(first?.input).toMatchObject({ force: false, planExecutionName: 'plan-1', reason: 'manual' });
    // Each child expects its group as the plan found it: changed since, it is not the update planned.
    const previous = new Map(plan.groups.map((g) => [g.groupName, g]));
    for (const child of plan.slots.flatMap((s) => s.groups)) {
      const group = previous.get(child.groupName);
      expect(child.input.expectedLaunchTemplate).toEqual({
        id: group?.launchTemplateId,
        versions: [group?.previousVersion],
      });
    }
    expect(plan.order).toEqual(['web', 'api', 'db']);
    expect(plan.rejected.some((r) => r.reasons.some((m) => m.includes('updates at the same time')))).toBe(
      true,
    );
    expect(plan.summary).toHaveLength(plan.slots.length);
    expect(plan.lockExpiresAtMs).toBeGreaterThan(Math.max(...plan.slots.map((s) => s.endMs)));
    expect(plan.recordPk).toBe('PLAN#plan-1');
  });

  it('plans within rollingUpdate.maxWaitHours when the request names no deadline, and keeps the record recordRetentionDays', async () => {
    const { deadline: _, ...noDeadline } = all();
    const plan = (await setup({ config: { rollingUpdate: { maxWaitHours: 3 }, recordRetentionDays: 7 } })(
      noDeadline,
    )) as PlannedUpdate;
    expect(plan.outcome).toBe('planned');
    expect(Math.max(...plan.slots.map((s) => s.endMs))).toBeLessThanOrEqual(T0 + 3 * HOUR_MS);
    // Three whole hour-long slots were offered: none the planner weighed lies past the third.
    const weighed = [...plan.slots.map((s) => s.slotIndex), ...plan.rejected.map((r) => r.slotIndex)];
    expect(Math.max(...weighed)).toBeLessThan(3);
    expect(plan.recordExpiresAt).toBe(String(Math.ceil((plan.lockExpiresAtMs + 7 * 24 * HOUR_MS) / 1000)));
  });

  it('holds the plan locks past the last slot for every revert of the undo, one after another', async () => {
    // 4 instances in batches of one (90–110 % healthy), 120 s launch + 1800 s warmup each: 128 min.
    const refreshSeconds = 4 * (120 + 1800);
    const plan = (await setup({ config: { rollingUpdate: { instanceWarmupSeconds: 1800 } } })(
      all({ slotMinutes: 180, deadline: new Date(T0 + 12 * HOUR_MS).toISOString() }),
    )) as PlannedUpdate;
    expect(plan.outcome).toBe('planned');
    const lastEndMs = Math.max(...plan.slots.map((s) => s.endMs));
    // The undo reverts the three groups one at a time, each child allowed 3 × its estimate; the
    // last slot's child may itself start at the slot's end and run that long.
    const allowanceMs = 3 * refreshSeconds * 1000;
    expect(plan.lockExpiresAtMs).toBe(lastEndMs + 4 * allowanceMs);
  });

  it('puts at most the configured number of groups in one slot', async () => {
    const plan = (await setup({ config: { rollingUpdate: { planMaxConcurrentUpdates: 1 } } })(
      all({ maxConcurrentUpdates: 3 }),
    )) as PlannedUpdate;
    expect(plan.slots.every((s) => s.groups.length === 1)).toBe(true);
    expect(plan.slots).toHaveLength(3);
  });

  it('refuses when no slot before the deadline fits the p90 peak, with each group’s reasons', async () => {
    const result = await setup({ load: () => 8 * TARGET })(all());
    expect(result.outcome).toBe('refused');
    if (result.outcome !== 'refused') return;
    expect(result.reason).toContain(
      'no plan fits the 4 slot(s) of 60 minutes before 2026-03-02T05:00:00.000Z',
    );
    expect(result.reasons.some((r) => r.startsWith('db: no slot keeps enough healthy capacity'))).toBe(true);
  });

  it('offers at most 48 slots, so the plan fits in the execution state', async () => {
    const plan = await setup({ load: (ms) => (ms < T0 + 47.5 * HOUR_MS ? 8 * TARGET : TARGET) })(
      all({ slotMinutes: 30, deadline: new Date(T0 + 47 * HOUR_MS).toISOString() }),
    );
    expect(plan.outcome === 'refused' && plan.reason).toContain('no plan fits the 48 slot(s) of 30 minutes');
  });

  it("refuses slots shorter than a group's estimated refresh, naming slotMinutes, the group and its minutes", async () => {
    // 4 instances at the defaults (90/110 %: one at a time, 120 s launch + 300 s warmup): 28 minutes.
    const result = await setup()(all({ slotMinutes: 15 }));
    expect(result).toMatchObject({ outcome: 'refused' });
    expect(result.outcome === 'refused' && result.reason).toContain(
      'slotMinutes 15 is shorter than the estimated refresh of group web, 28 minutes',
    );
    expect(await setup()(all({ slotMinutes: 28 }))).toMatchObject({ outcome: 'planned' });
  });

  it('counts the warm pool’s instances in the refresh a slot must hold, as the child’s window check does', async () => {
    // web's default pool, MaxSize 8 − desired 4: 8 instances replaced one at a time, 56 minutes.
    const pooled = setup({ groups: { web: { warmPool: { minSize: 0 } } } });
    const result = await pooled(all({ slotMinutes: 30 }));
    expect(result.outcome === 'refused' && result.reason).toContain(
      "slotMinutes 30 is shorter than the estimated refresh of group web, 56 minutes (8 instance(s) with its warm pool's in 8 batch(es)",
    );
    expect(await pooled(all({ slotMinutes: 56 }))).toMatchObject({ outcome: 'planned' });
  });

  it('admits a group only to a slot that holds the refresh of the headroom its peak needs, not of today’s capacity', async () => {
    // 300 at 60 an instance: 5 healthy, so headroom takes web from 4 to 6, each replaced alone
    // (90–110 %) in 120 s of launch and 300 s of warmup: 42 minutes, past a 30-minute slot that
    // today's 4 (28 minutes) would fit.
    const web = { groups: [{ groupName: 'web', launchTemplateVersion: '7' }], slotMinutes: 30 };
    const busy = await setup({ load: () => 300 })({
      ...web,
      deadline: new Date(T0 + HOUR_MS).toISOString(),
    });
    expect(busy).toMatchObject({ outcome: 'refused' });
    expect(busy.outcome === 'refused' && busy.reason).toContain(
      "slot 1 (2026-03-02 01:00 UTC): the refresh of the headroom its p90 300 needs (desired 4 → 6) takes an estimated 42 minutes, longer than the slot's 30 minutes (desired 4 alone: 28 minutes)",
    );
    // Busy for the first hour only: web waits for slot 3, and slot 1 says why not sooner.
    const later = (await setup({ load: (ms) => (ms < T0 + HOUR_MS ? 300 : 2 * TARGET) })({
      ...web,
      deadline: new Date(T0 + 2 * HOUR_MS).toISOString(),
    })) as PlannedUpdate;
    expect(later.outcome).toBe('planned');
    expect(later.slots[0]?.startMs).toBe(T0 + HOUR_MS);
    expect(later.rejected.find((r) => r.slotIndex === 0)?.reasons.join()).toContain(
      "takes an estimated 42 minutes, longer than the slot's 30 minutes",
    );
  });

  it('counts the configured bake time in the refresh each slot must hold, as the child’s window check does', async () => {
    // web 4 → 6 for the 300 peak: 42 minutes of replacements, then 30 minutes of BakeTime. A
    // 60-minute slot holds today's 4 with the bake (28 + 30 = 58) but not the headroom's refresh.
    const baked = await setup({ config: { rollingUpdate: { bakeTimeSeconds: 1800 } }, load: () => 300 })({
      groups: [{ groupName: 'web', launchTemplateVersion: '7' }],
      slotMinutes: 60,
      deadline: new Date(T0 + HOUR_MS).toISOString(),
    });
    expect(baked).toMatchObject({ outcome: 'refused' });
    expect(baked.outcome === 'refused' && baked.reason).toContain(
      "(desired 4 → 6) takes an estimated 72 minutes, longer than the slot's 60 minutes (desired 4 alone: 58 minutes)",
    );
    const short = await setup({ config: { rollingUpdate: { bakeTimeSeconds: 1800 } } })(
      all({ slotMinutes: 30 }),
    );
    expect(short.outcome === 'refused' && short.reason).toContain(
      'slotMinutes 30 is shorter than the estimated refresh of group web, 58 minutes (4 instance(s) in 4 batch(es) of launch + 300 s warmup, then 1800 s bake)',
    );
  });

  it('refuses a deadline that leaves no whole slot', async () => {
    const result = await setup()(all({ deadline: new Date(T0 + 30 * 60_000).toISOString() }));
    expect(result).toMatchObject({ outcome: 'refused' });
    expect(result.outcome === 'refused' && result.reason).toContain('leaves no whole 60-minute slot');
    // Without a deadline in the request, the refusal names the setting that made it.
    const fromConfig = await setup({ config: { rollingUpdate: { maxWaitHours: 0 } } })(
      all({ deadline: undefined }),
    );
    expect(fromConfig).toMatchObject({
      reason: expect.stringContaining(
        '(no deadline given: now + rollingUpdate.maxWaitHours, 0 h) leaves no whole 60-minute slot',
      ),
    });
  });

  it.each([
    [
      { groups: [{ groupName: 'web', launchTemplateVersion: '$Latest' }] },
      'explicit launch template version',
    ],
    [{ groups: [] }, 'groups'],
    [
      {
        groups: [
          { groupName: 'web', launchTemplateVersion: '7' },
          { groupName: 'web', launchTemplateVersion: '8' },
        ],
      },
      'each group once',
    ],
    [
      { groups: [{ groupName: 'nope', launchTemplateVersion: '7' }] },
      'Auto Scaling group nope does not exist',
    ],
    [{ groups: [{ groupName: 'other', launchTemplateVersion: '7' }] }, 'not enrolled'],
  ])('refuses %j touching nothing', async (request, expected) => {
    const result = await setup()(request);
    expect(result.outcome === 'refused' && result.reason).toContain(expected);
  });

  it('refuses a misspelt field by name instead of planning without it', async () => {
    const result = await setup()(all({ maxConcurrentUpdate: 1 }));
    expect(result).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('(root): Unrecognized key: "maxConcurrentUpdate"'),
    });
    const inGroup = await setup()({
      groups: [{ groupName: 'web', launchTemplateVersion: '7', force: true }],
    });
    expect(inGroup).toMatchObject({ reason: expect.stringContaining('groups.0: Unrecognized key: "force"') });
  });

  it("refuses the workflow's keys in the request: it is the execution's input, not the state the reads wrote", async () => {
    for (const key of ['discovery', 'calendar']) {
      expect(await setup()(all({ [key]: {} }))).toMatchObject({
        outcome: 'refused',
        reason: expect.stringContaining(`Unrecognized key: "${key}"`),
      });
    }
  });

  it('refuses a group whose current version cannot be resolved, and everything in dry run', async () => {
    expect(await setup({ config: { dryRun: true } })(all())).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('dry run'),
    });
    const result = await setup()({ groups: [{ groupName: 'legacy', launchTemplateVersion: '2' }] });
    expect(result.outcome === 'refused' && result.reason).toBe(
      'group legacy runs $Default, which could not be resolved to a version to undo to',
    );
  });

  it("refuses a plan with a group an operator holds (pause tag, a refresh's processes suspended), naming each", async () => {
    const result = await setup({
      groups: {
        web: { tags: { 'prescale:paused': 'true' } },
        db: { suspendedProcesses: ['AZRebalance', 'Launch'] },
      },
    })(all());
    expect(result).toEqual({
      outcome: 'refused',
      reason: expect.any(String),
      reasons: [
        'group web is paused by its prescale:paused tag',
        'processes suspended on db: Launch; an instance refresh would replace no instance until they are resumed',
      ],
    });
    // A hold its refresh does not care about plans as before.
    const scheduled = await setup({ groups: { db: { suspendedProcesses: ['ScheduledActions'] } } })(all());
    expect(scheduled.outcome).toBe('planned');
  });

  it('refuses a plan with a group whose instance refresh is in progress, whose child would be refused at its slot', async () => {
    const result = await setup({ groups: { api: { instanceRefreshInProgress: true } } })(all());
    expect(result).toEqual({
      outcome: 'refused',
      reason: expect.any(String),
      reasons: [
        'an instance refresh is already in progress on api: its update would be refused at its slot, after earlier slots were updated (and then undone); request the plan again once the refresh has ended',
      ],
    });
  });

  it('refuses a plan with a group whose target version does not exist or cannot launch, whose child would be refused at its slot', async () => {
    const typo = await setup()({
      groups: [
        { groupName: 'web', launchTemplateVersion: '7' },
        { groupName: 'api', launchTemplateVersion: '99' },
      ],
    });
    expect(typo).toEqual({
      outcome: 'refused',
      reason: expect.any(String),
      reasons: [
        'group api: launch template lt-2 has no version 99; its update would be refused at its slot, after earlier slots were updated (and then undone)',
      ],
    });
    const noImage = await setup({ noImageIn: 'lt-3' })(
      all({
        groups: [
          { groupName: 'web', launchTemplateVersion: '7' },
          { groupName: 'db', launchTemplateVersion: '5' },
        ],
      }),
    );
    expect(noImage.outcome === 'refused' && noImage.reasons).toEqual([
      'group db: version 5 of launch template lt-3 exists, but its image ami-gone was not found (deregistered, or not shared with this account); its update would be refused at its slot, after earlier slots were updated (and then undone)',
    ]);
  });

  it('refuses a plan with a group whose refresh would wait on its instances (Standby, protected under Wait), whose child would be refused at its slot', async () => {
    const standby = await setup({ groups: { api: { standbyInstances: 1 } } })(all());
    expect(standby).toEqual({
      outcome: 'refused',
      reason: expect.any(String),
      reasons: [
        '1 instance(s) of api are in Standby: a refresh would wait an hour for them to return to service, then fail; return them to service (ExitStandby) or detach them, then ask again; its update would be refused at its slot, after earlier slots were updated (and then undone)',
      ],
    });
    const protectedUnderWait = await setup({ groups: { db: { protectedInstances: 2 } } })(all());
    expect(protectedUnderWait.outcome === 'refused' && protectedUnderWait.reasons).toEqual([
      expect.stringMatching(
        /^2 instance\(s\) of db are protected from scale in: a refresh would wait an hour .*; its update would be refused at its slot/,
      ),
    ]);
    // Protected instances the refresh ignores (or replaces) plan as before.
    const ignored = await setup({
      groups: { db: { protectedInstances: 2 } },
      config: { rollingUpdate: { scaleInProtectedInstances: 'Ignore' } },
    })(all());
    expect(ignored.outcome).toBe('planned');
  });

  it('names a group tag it could not read, as the scaling loop does, planned or refused', async () => {
    // A letter O for a zero: the group is planned at the configured target, and the plan says why.
    const misread = { web: { tags: { 'prescale:target-load-per-instance': '6O', 'prescale:floor': '-1' } } };
    const named = [
      'web: ignored tag prescale:target-load-per-instance=6O (expected a CPU percentage above 0 and below 100)',
      'web: ignored tag prescale:floor=-1 (expected a whole number ≥ 0)',
    ];
    const planned = await setup({ groups: misread })(all());
    expect(planned.outcome === 'planned' && planned.warnings).toEqual(expect.arrayContaining(named));
    const refused = await setup({ groups: misread, load: () => 8 * TARGET })(all());
    expect(refused.outcome === 'refused' && refused.reasons).toEqual(expect.arrayContaining(named));
    const clean = await setup()(all());
    expect(clean.outcome === 'planned' && clean.warnings.filter((w) => w.includes('ignored tag'))).toEqual(
      [],
    );
  });

  it('assumes full load at in-service capacity when there is no usable history', async () => {
    const plan = await setup({ noHistory: true })({
      groups: [{ groupName: 'web', launchTemplateVersion: '7' }],
    });
    expect(plan.outcome).toBe('planned');
    const web = plan.outcome === 'planned' ? plan.summary[0] : '';
    expect(web).toContain(`p90 ${4 * TARGET}`);
  });
});
