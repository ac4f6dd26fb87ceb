import { parseConfig } from '../../../shared/contracts/parse-config';
import type { ValidPlan } from '../../../shared/contracts/rolling-update';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import { rollbackGiveUpTime } from '../../../shared/core/rolling-update/rollback-give-up-time';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { ScheduledCapacityAction } from '../../../shared/ports/scheduled-capacity';
import { chooseUpdateWindow } from '../../../shared/usecases/choose-update-window';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryUpdatePlanStore } from '../../fakes/memory-update-plan-store';
import { validPlan } from '../../fixtures/valid-plan';
import { demandForecast, upperBoundForecast } from '../../helpers/demand-forecast';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
/** 4 instances replaced one at a time (90–110 % healthy), each 120 s launch + 300 s warmup. */
const DURATION_SECONDS = 4 * (120 + 300);
const config = parseConfig(userConfigSchema, { groups: { names: ['web'] } }, 'test');

const plan = validPlan({
  deadlineMs: NOW + 4 * HOUR_MS,
  original: { minSize: 1, maxSize: 8, desiredCapacity: 4 },
});

/** A forecaster whose 80 % interval tops out at `p90(ms)` from the start of the history query on. */
const forecastOf = (p90: (ms: number) => number): ForecastFn => upperBoundForecast(p90, () => NOW);

/** `web` runs 4 instances (3 in service) of at most 8: 7 stay healthy at MaxSize, 420 load at 60 each. */
function choose(
  forecast: ForecastFn,
  held: {
    readonly group?: Partial<GroupSnapshot>;
    readonly config?: Partial<UserConfigInput>;
    readonly globallyPaused?: boolean;
    readonly plan?: ValidPlan;
    readonly scheduledCapacity?: FakeScheduledCapacity;
    readonly plans?: MemoryUpdatePlanStore;
  } = {},
) {
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot({ name: 'web', desiredCapacity: 4, inServiceCapacity: 3, maxSize: 8, ...held.group }),
  ]);
  return chooseUpdateWindow(
    {
      scalingTarget,
      metricHistory: { loadHistory: async () => new Map() },
      clock: { nowMs: () => NOW },
      scheduledCapacity: held.scheduledCapacity ?? new FakeScheduledCapacity(),
      deployment: 'Prescale',
      forecast,
      isGloballyPaused: async () => held.globallyPaused ?? false,
      plans: held.plans ?? new MemoryUpdatePlanStore(),
    },
    held.config
      ? parseConfig(userConfigSchema, { groups: { names: ['web'] }, ...held.config }, 'test')
      : config,
    held.plan ?? plan,
  );
}

describe('chooseUpdateWindow', () => {
  describe('a look-ahead give-back still due on a group the loop stands down on', () => {
    /** The give-back a forecast-only hold keeps: web's own MinSize 1 back at 01:30, after a pre-warm to 3. */
    const giveBack: ScheduledCapacityAction = {
      name: 'prescale-20260302T0130Z',
      startMs: NOW + HOUR_MS / 2,
      minSize: 1,
    };
    const withGiveBack = () => new FakeScheduledCapacity({ web: [giveBack] });
    const preWarmed = { minSize: 3 };

    it('is waited for: a lock now would have the loop delete it and the restore keep the pre-warm', async () => {
      const scheduledCapacity = withGiveBack();
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-only' },
          scheduledCapacity,
        },
      );
      expect(window).toMatchObject({ decision: 'wait', waitSeconds: 35 * 60, peakLoad: 0 });
      expect(window.reason).toBe(
        "Prescale's look-ahead gives web its own MinSize 1 back by 2026-03-02T01:35:00.000Z (kept while the scaling loop stands down: forecast-only mode), and an update's lock would delete it and keep the pre-warm: the refresh starts after it; a window opens at 2026-03-02T01:35:00.000Z",
      );
      expect(scheduledCapacity.calls).toEqual(['describe web']);
    });

    it('is waited for beside an EC2 predictive scaling policy that scales the group', async () => {
      const window = await choose(
        forecastOf(() => 120),
        {
          group: { ...preWarmed, predictiveScalingPolicy: 'ec2-predictive' },
          config: { mode: 'forecast-and-scale' },
          scheduledCapacity: withGiveBack(),
        },
      );
      expect(window).toMatchObject({ decision: 'wait' });
      expect(window.reason).toContain('EC2 predictive scaling policy "ec2-predictive" scales the group');
    });

    it('is not looked for where the loop scales the group: its next run under the lock deletes the look-ahead first', async () => {
      const scheduledCapacity = withGiveBack();
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-and-scale' },
          scheduledCapacity,
        },
      );
      expect(window.decision).toBe('proceed');
      expect(scheduledCapacity.calls).toEqual([]);
    });

    it('is passed over by a forced request, which records it for the restore to give back', async () => {
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-only' },
          plan: { ...plan, force: true },
          scheduledCapacity: withGiveBack(),
        },
      );
      expect(window).toMatchObject({
        decision: 'proceed',
        keptGiveBack: { minSize: 1, atMs: NOW + HOUR_MS / 2 + 5 * 60_000 },
      });
    });

    it('does not hold a forced start up when it cannot be read: the start goes on without it', async () => {
      const scheduledCapacity = withGiveBack();
      scheduledCapacity.scheduledActions = async () => {
        throw new Error('Throttling');
      };
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-only' },
          plan: { ...plan, force: true },
          scheduledCapacity,
        },
      );
      expect(window.decision).toBe('proceed');
      expect(window).not.toHaveProperty('keptGiveBack');
    });

    it('is not recorded on a forced request where the loop scales the group', async () => {
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-and-scale' },
          plan: { ...plan, force: true },
          scheduledCapacity: withGiveBack(),
        },
      );
      expect(window.decision).toBe('proceed');
      expect(window).not.toHaveProperty('keptGiveBack');
    });

    it('defers the update when it comes after the deadline', async () => {
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-only' },
          plan: { ...plan, deadlineMs: NOW + 20 * 60_000 },
          scheduledCapacity: withGiveBack(),
        },
      );
      expect(window.decision).toBe('defer');
      // As a hold defers it: an update plan reports the reason, not a missing window.
      expect(window.reason).toMatch(/^held: Prescale's look-ahead gives web its own MinSize 1 back/);
      expect(window.reason).toContain('request it again after 2026-03-02T01:35:00.000Z, or with force');
    });

    it("looks again after the loop's next run while the rest of the look-ahead is still listed", async () => {
      const prewarm = { name: 'prescale-20260302T0110Z', startMs: NOW + 10 * 60_000, minSize: 4 };
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-only' },
          scheduledCapacity: new FakeScheduledCapacity({ web: [prewarm, giveBack] }),
        },
      );
      expect(window).toMatchObject({ decision: 'wait', waitSeconds: 5 * 60 });
      expect(window.reason).toContain(
        "Prescale's look-ahead on web is not cleared since the scaling loop stands down: forecast-only mode",
      );
    });

    it('does not wait for a last action the loop deletes: one that gives back no lower MinSize', async () => {
      const window = await choose(
        forecastOf(() => 120),
        {
          group: { minSize: 1 },
          config: { mode: 'forecast-only' },
          scheduledCapacity: withGiveBack(),
        },
      );
      expect(window.decision).toBe('proceed');
    });

    it('proceeds to the lock, which refuses it, when the group is gone as its actions are read', async () => {
      const gone = withGiveBack();
      gone.scheduledActions = async () => {
        throw new ResourceNotFoundError('group', 'web');
      };
      const window = await choose(
        forecastOf(() => 120),
        {
          group: preWarmed,
          config: { mode: 'forecast-only' },
          scheduledCapacity: gone,
        },
      );
      expect(window.decision).toBe('proceed');
    });
  });

  it('waits for the low-load period the p90 forecast shows', async () => {
    // The mean (0.8 × 450 = 360) would fit now; the p90 (450, 8 instances) does not.
    const window = await choose(forecastOf((ms) => (ms < NOW + HOUR_MS / 2 ? 450 : 120)));
    expect(window).toMatchObject({
      decision: 'wait',
      waitSeconds: 1800,
      durationSeconds: DURATION_SECONDS,
      peakLoad: 0,
    });
    expect(window.reason).toContain('a window opens at 2026-03-02T01:30:00.000Z');
    expect(window.reason).not.toContain('no forecast');
  });

  it('proceeds when the p90 peak over the refresh fits, setting the refresh deadline and the lock', async () => {
    const window = await choose(forecastOf(() => 400));
    // The refresh replaces the headroom the peak needs, not today's 4: 400 at 60 takes 7 healthy,
    // 8 instances at 90 % healthy, replaced one at a time.
    const headroomSeconds = 8 * (120 + 300);
    const refreshDeadlineMs = NOW + 3 * headroomSeconds * 1000;
    expect(window).toEqual({
      decision: 'proceed',
      reason: `predicted p90 peak 400 over the next ${headroomSeconds}s fits: 7 instance(s) stay healthy at MaxSize 8 with 90% min healthy`,
      waitSeconds: 0,
      durationSeconds: headroomSeconds,
      peakLoad: 400,
      refreshDeadlineMs,
      pollIntervalSeconds: 60,
      lock: {
        acquiredAtMs: String(NOW),
        expiresAtMs: String(refreshDeadlineMs + 6 * HOUR_MS),
        expiresAt: String((refreshDeadlineMs + 6 * HOUR_MS) / 1000),
      },
    });
  });

  it("counts the warm pool's instances, which the refresh replaces too, in its duration and deadline", async () => {
    // Desired 4 of MaxSize 40 with a default warm pool (no MaxGroupPreparedCapacity): the pool holds
    // 36, so the refresh replaces 40 instances, 8 at a time (90–110 % healthy): 5 batches, not 4
    // instances one at a time, and a deadline of 3 × that, not the hour the 4 would get.
    const window = await choose(
      forecastOf(() => 120),
      {
        group: { maxSize: 40, warmPool: { minSize: 0 } },
      },
    );
    const refreshSeconds = 5 * (120 + 300);
    expect(window).toMatchObject({
      decision: 'proceed',
      durationSeconds: refreshSeconds,
      refreshDeadlineMs: NOW + 3 * refreshSeconds * 1000,
    });
  });

  it('sizes a warm pool capped by MaxGroupPreparedCapacity as Auto Scaling does, at least its MinSize', async () => {
    // Prepared 10: the pool holds 10 − 4 = 6, 10 instances replaced 2 at a time; MinSize 8 beats it.
    const capped = await choose(
      forecastOf(() => 120),
      {
        group: { maxSize: 40, warmPool: { minSize: 0, maxGroupPreparedCapacity: 10 } },
      },
    );
    expect(capped.durationSeconds).toBe(5 * (120 + 300));
    const floored = await choose(
      forecastOf(() => 120),
      {
        group: { maxSize: 40, warmPool: { minSize: 8, maxGroupPreparedCapacity: 10 } },
      },
    );
    expect(floored.durationSeconds).toBe(6 * (120 + 300));
  });

  it("waits when the peak fits a refresh of today's capacity but not the longer refresh of the headroom it needs", async () => {
    // 300 needs 5 healthy, 6 instances at 90 %: a refresh of 6 (42 min), not of today's 4 (28 min),
    // and load rises to 450 (past what MaxSize keeps healthy) from minute 28 to hour 2.
    const busy = (ms: number) => ms >= NOW + DURATION_SECONDS * 1000 && ms < NOW + 2 * HOUR_MS;
    const window = await choose(forecastOf((ms) => (busy(ms) ? 450 : 300)));
    expect(window).toMatchObject({ decision: 'wait', durationSeconds: 6 * (120 + 300), peakLoad: 0 });
    expect(window.reason).toContain('a window opens at 2026-03-02T03:00:00.000Z');
  });

  it('looks at the refresh and its rollback at most 1,100 times together, however long their deadlines', async () => {
    // 14 history events a look, 19 with headroom raised: 20,900 of the 25,000 an execution may write. The watch runs to the
    // refresh deadline, the rollback to the lock's expiry, 6 hours later.
    const looks = (w: {
      pollIntervalSeconds: number;
      refreshDeadlineMs: number;
      lock: { expiresAtMs: string };
    }) => (Number(w.lock.expiresAtMs) - NOW) / 1000 / w.pollIntervalSeconds;
    for (const [pollIntervalSeconds, maxRefreshMinutes] of [
      [10, 10_080],
      [10, undefined],
      [60, 600],
      [900, 10_080],
    ] as const) {
      const window = await choose(
        forecastOf(() => 400),
        {
          plan: {
            ...plan,
            pollIntervalSeconds,
            ...(maxRefreshMinutes ? { maxRefreshMinutes } : {}),
          },
        },
      );
      expect(looks(window)).toBeLessThanOrEqual(1_100);
      expect(window.pollIntervalSeconds).toBeGreaterThanOrEqual(pollIntervalSeconds);
    }
    // A short refresh keeps the requested interval: (5,040 s + 6 h) / 60 s is 444 looks.
    const short = await choose(
      forecastOf(() => 400),
      { plan: { ...plan, pollIntervalSeconds: 60 } },
    );
    expect(short.pollIntervalSeconds).toBe(60);
  });

  it('leaves the rollback at least 4 of its 6 hours before it gives up, at any poll interval and refresh deadline allowed', async () => {
    // The rollback gives up two poll intervals before the lock expires (`rollbackGiveUpTime`):
    // the longest interval the config and requests allow, an hour, takes 2 of the 6 hours.
    for (const [pollIntervalSeconds, maxRefreshMinutes] of [
      [3600, 5],
      [3600, 10_080],
      [3600, undefined],
      [10, 10_080],
    ] as const) {
      const window = await choose(
        forecastOf(() => 400),
        { plan: { ...plan, pollIntervalSeconds, ...(maxRefreshMinutes ? { maxRefreshMinutes } : {}) } },
      );
      const giveUpAtMs = rollbackGiveUpTime({
        lockExpiresAtMs: Number(window.lock.expiresAtMs),
        pollIntervalSeconds: window.pollIntervalSeconds,
        nowMs: NOW,
      });
      expect(giveUpAtMs - window.refreshDeadlineMs).toBeGreaterThanOrEqual(4 * HOUR_MS);
    }
  });

  it('spreads its looks for a window over the wait, at most 200 of them, when a window keeps opening a step away', async () => {
    // A window one forecast step ahead (the load falls 5 minutes from now) would be looked at
    // every 5 minutes: 2,016 looks over a week, 18,144 history events.
    const soon = forecastOf((ms) => (ms < NOW + 300_000 ? 450 : 120));
    const week = await choose(soon, {
      plan: { ...plan, validatedAtMs: NOW - HOUR_MS, deadlineMs: NOW + 167 * HOUR_MS },
    });
    expect(week).toMatchObject({ decision: 'wait', waitSeconds: (168 * 3600) / 200 });
    const hours = await choose(soon, { plan: { ...plan, validatedAtMs: NOW } });
    expect(hours).toMatchObject({ decision: 'wait', waitSeconds: 300 });
  });

  it('names a group tag it could not read, as the scaling loop does, and keeps the configured target', async () => {
    const tags = { 'prescale:target-load-per-instance': '6O' };
    const window = await choose(
      forecastOf(() => 400),
      { group: { tags } },
    );
    const read = await choose(forecastOf(() => 400));
    expect(window).toMatchObject({ decision: read.decision, peakLoad: read.peakLoad });
    expect(window.reason).toBe(
      `${read.reason}; ignored tag prescale:target-load-per-instance=6O (expected a CPU percentage above 0 and below 100)`,
    );
  });

  it('assumes full load at in-service capacity when there is no history to forecast from', async () => {
    const window = await choose(forecastDemand);
    expect(window).toMatchObject({ decision: 'proceed', peakLoad: 3 * 60 });
    expect(window.reason).toMatch(/fits: .* \(no forecast: EmptySeriesError; assumed full load 180\)$/);
  });

  describe('checking the holds again, since the workflow may have waited hours since validation', () => {
    const lowLoad = forecastOf(() => 120);
    it.each([
      [
        'the pause tag',
        { group: { tags: { 'prescale:paused': 'true' } } },
        'group web is paused by its prescale:paused tag',
      ],
      [
        'a process a refresh needs, suspended',
        { group: { suspendedProcesses: ['Launch'] } },
        'processes suspended on web: Launch',
      ],
      [
        'an instance refresh started meanwhile',
        { group: { instanceRefreshInProgress: true } },
        'an instance refresh is already in progress on web',
      ],
      ['dryRun deployed meanwhile', { config: { dryRun: true } }, 'dry run'],
      ['the kill switch', { globallyPaused: true }, 'Prescale is paused for all groups (kill switch)'],
      [
        'forecast-only mode, for an automatic start',
        {
          plan: validPlan({ ...plan, reason: 'scheduled-maintenance' }),
          group: { tags: { 'prescale:mode': 'forecast-only' } },
        },
        'forecast-only mode',
      ],
      ['the group no longer enrolled', { config: { groups: { names: ['api'] } } }, 'not enrolled'],
      [
        'instances protected from scale in meanwhile, under Wait',
        { group: { protectedInstances: 2 } },
        '2 instance(s) of web are protected from scale in',
      ],
      [
        'an instance put in Standby meanwhile',
        { group: { standbyInstances: 1 } },
        '1 instance(s) of web are in Standby',
      ],
    ])('defers, touching nothing, on %s', async (_hold, held, reason) => {
      const window = await choose(lowLoad, held as Parameters<typeof choose>[1]);
      expect(window).toMatchObject({ decision: 'defer', waitSeconds: 0 });
      expect(window.reason).toMatch(/^held: /);
      expect(window.reason).toContain(reason);
    });

    describe("an update plan's child, when the plan was cancelled while it waited", () => {
      const child = validPlan({ ...plan, executionName: 'plan-1-s2-web', planExecutionName: 'plan-1' });
      const cancelled = () => {
        const plans = new MemoryUpdatePlanStore();
        plans.plans.set('plan-1', { reason: 'release frozen', requestedAtMs: NOW - 60_000 });
        return plans;
      };

      it('defers, touching nothing, naming the plan and the cancel reason', async () => {
        const window = await choose(lowLoad, { plan: child, plans: cancelled() });
        expect(window).toMatchObject({
          decision: 'defer',
          reason: 'held: update plan plan-1 was cancelled: release frozen',
          waitSeconds: 0,
        });
      });

      it('proceeds while the plan is not cancelled, or when another plan is', async () => {
        const recorded = new MemoryUpdatePlanStore();
        recorded.plans.set('plan-1', undefined);
        recorded.plans.set('plan-2', { reason: 'other', requestedAtMs: NOW });
        expect((await choose(lowLoad, { plan: child, plans: recorded })).decision).toBe('proceed');
      });

      it("never stops the plan's reverts, which are the cancel's undo", async () => {
        const revert = validPlan({ ...child, executionName: 'plan-1-undo-s1-web', force: true });
        expect((await choose(lowLoad, { plan: revert, plans: cancelled() })).decision).toBe('proceed');
      });

      it('reads no cancel for an update outside a plan', async () => {
        const plans = cancelled();
        const read = jest.spyOn(plans, 'cancelRequest');
        expect((await choose(lowLoad, { plans })).decision).toBe('proceed');
        expect(read).not.toHaveBeenCalled();
      });
    });

    it("lets an operator's request through on a forecast-only group", async () => {
      const window = await choose(lowLoad, { group: { tags: { 'prescale:mode': 'forecast-only' } } });
      expect(window.decision).toBe('proceed');
    });

    it.each([
      ['gone', [], 'no longer exists (it did when'],
      [
        'being deleted',
        [groupSnapshot({ name: 'web', desiredCapacity: 4, maxSize: 8, deleting: true })],
        'is being deleted (Status "Delete in progress"; it was not when',
      ],
    ])(
      'refuses, naming it, a group %s since validation, instead of failing',
      async (_state, groups, says) => {
        const validated = validPlan({ ...plan, validatedAtMs: NOW - HOUR_MS });
        const window = await chooseUpdateWindow(
          {
            scalingTarget: new FakeScalingTarget(groups),
            metricHistory: { loadHistory: async () => new Map() },
            clock: { nowMs: () => NOW },
            scheduledCapacity: new FakeScheduledCapacity(),
            deployment: 'Prescale',
            forecast: lowLoad,
            isGloballyPaused: async () => false,
            plans: new MemoryUpdatePlanStore(),
          },
          config,
          validated,
        );
        const Cause = `Auto Scaling group web ${says} the update was validated at 2026-03-02T00:00:00.000Z): the update to version 7 was not started and nothing was changed`;
        expect(window).toMatchObject({
          decision: 'refuse',
          reason: Cause,
          error: { Error: 'GroupNoLongerExists', Cause },
          waitSeconds: 0,
        });
      },
    );

    it('fails, never reading a failed kill-switch read as "running"', async () => {
      const scalingTarget = new FakeScalingTarget([
        groupSnapshot({ name: 'web', desiredCapacity: 4, maxSize: 8 }),
      ]);
      await expect(
        chooseUpdateWindow(
          {
            scalingTarget,
            metricHistory: { loadHistory: async () => new Map() },
            clock: { nowMs: () => NOW },
            scheduledCapacity: new FakeScheduledCapacity(),
            deployment: 'Prescale',
            forecast: lowLoad,
            isGloballyPaused: async () => {
              throw new Error('SSM is unavailable');
            },
            plans: new MemoryUpdatePlanStore(),
          },
          config,
          plan,
        ),
      ).rejects.toThrow('SSM is unavailable');
    });
  });

  describe('the forecast it reads, for a load settled before it is read', () => {
    const ALB = {
      kind: 'alb-requests',
      targetGroupFullName: 'targetgroup/web/0123456789abcdef',
      loadBalancerFullName: 'app/web/0123456789abcdef',
    } as const;

    /** The history query and the steps the window's forecast covers, read at `nowMs`. */
    async function readAt(metric: unknown, stepSeconds: 60 | 3600, nowMs: number) {
      const queries: HistoryQuery[] = [];
      const covered: { startMs: number; endMs: number }[] = [];
      const stepMs = stepSeconds * 1000;
      await chooseUpdateWindow(
        {
          scalingTarget: new FakeScalingTarget([
            groupSnapshot({ name: 'web', desiredCapacity: 4, inServiceCapacity: 3, maxSize: 8 }),
          ]),
          metricHistory: {
            loadHistory: async (asked) => {
              queries.push(...asked);
              return new Map(asked.map((q) => [q.groupName, [{ timestampMs: q.endMs - stepMs, value: 1 }]]));
            },
          },
          clock: { nowMs: () => nowMs },
          scheduledCapacity: new FakeScheduledCapacity(),
          deployment: 'Prescale',
          forecast: ({ history, horizonSteps }) => {
            // The forecast runs on from the step after the newest observation.
            const startMs = Math.max(...history.map((o) => o.timestampMs)) + stepMs;
            covered.push({ startMs, endMs: startMs + horizonSteps * stepMs });
            const upper = Array.from({ length: horizonSteps }, () => 1);
            return demandForecast(upper, [{ levelPct: 80, lower: upper, upper }], { startMs, stepSeconds });
          },
          isGloballyPaused: async () => false,
          plans: new MemoryUpdatePlanStore(),
        },
        parseConfig(
          userConfigSchema,
          { groups: { names: ['web'] }, defaults: { stepSeconds, metric, targetLoadPerInstance: 60 } },
          'test',
        ),
        plan,
      );
      return { query: queries[0], covered: covered[0] };
    }

    it('ends its history at the last settled step: rounded before the query, it ended a step early', async () => {
      // 01:59 less the 3 settling minutes is 01:56: the step [00:00, 01:00) is whole.
      const { query } = await readAt(ALB, 3600, NOW + 59 * 60_000);
      expect(query?.endMs).toBe(NOW);
    });

    it('forecasts as far past now as it does for a load read up to now', async () => {
      // On 60-second steps an alb-requests history ends three steps before a cpu one; its forecast
      // must run those steps longer to reach the end of the refresh.
      const nowMs = NOW + 30_000;
      const alb = await readAt(ALB, 60, nowMs);
      const cpu = await readAt({ kind: 'cpu' }, 60, nowMs);
      expect(alb.query?.endMs).toBe(NOW - 3 * 60_000);
      expect(cpu.query?.endMs).toBe(NOW);
      expect(alb.covered?.endMs).toBe(cpu.covered?.endMs);
      expect(alb.covered?.startMs).toBe(NOW - 3 * 60_000);
    });
  });
});
