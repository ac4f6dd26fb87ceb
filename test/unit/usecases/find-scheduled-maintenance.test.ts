import { parseConfig } from '../../../shared/contracts/parse-config';
import { MAX_WAIT_HOURS, userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { ScheduledInstanceEvent } from '../../../shared/ports/maintenance-events';
import type { WorkflowStart } from '../../../shared/ports/workflow-starter';
import {
  findScheduledMaintenance,
  unservedGroups,
} from '../../../shared/usecases/find-scheduled-maintenance';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';

const NOW = Date.parse('2026-03-02T09:30:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** web's refresh at the defaults: one instance, one batch of a 120 s launch and a 300 s warmup. */
const REFRESH_MS = 420_000;

function scan(
  events: ScheduledInstanceEvent[],
  enabled = true,
  held: {
    readonly globallyPaused?: boolean;
    readonly mode?: 'forecast-only';
    readonly webTags?: Record<string, string>;
    /** The current version's image was deregistered. */
    readonly imageGone?: boolean;
    /** ListExecutions (eventually consistent) does not list yet the executions started. */
    readonly listingLags?: boolean;
    /** web is enrolled by its `prescale:enabled` tag (`webTags`), not by name. */
    readonly webByTag?: boolean;
    /** web's desired capacity, warm pool and the configured warmup, which size its refresh. */
    readonly refresh?: {
      readonly desiredCapacity: number;
      readonly instanceWarmupSeconds: number;
      readonly warmPool?: { readonly minSize: number };
    };
  } = {},
  moreGroups: readonly string[] = [],
  /** Executions an earlier scan started, still running. */
  started: { name: string; input: Record<string, unknown> }[] = [],
  nowMs = NOW,
) {
  const executionArn = (name: string) =>
    `arn:aws:states:eu-west-1:123456789012:execution:RollingUpdate:${name}`;
  const deps = {
    scalingTarget: new FakeScalingTarget([
      groupSnapshot({
        name: 'web',
        launchTemplate: { id: 'lt-1', version: '$Default' },
        ...(held.webTags ? { tags: held.webTags } : {}),
        ...(held.refresh ? { desiredCapacity: held.refresh.desiredCapacity } : {}),
        ...(held.refresh?.warmPool ? { warmPool: held.refresh.warmPool } : {}),
      }),
      ...moreGroups.map((name) =>
        groupSnapshot({ name, launchTemplate: { id: 'lt-1', version: '$Default' } }),
      ),
      groupSnapshot({
        name: 'busy',
        launchTemplate: { id: 'lt-1', version: '3' },
        instanceRefreshInProgress: true,
      }),
    ]),
    maintenanceEvents: { upcomingEvents: async () => events },
    launchTemplates: {
      launchTemplate: async () => {
        if (held.imageGone) throw new ResourceNotFoundError('image', 'ami-gone');
        return { launchTemplateId: 'lt-1', versionNumber: 6 };
      },
    },
    starter: {
      // As Step Functions' StartExecution on a running execution's name (every one here runs): the
      // same input answers success and starts nothing ("Executions with the same name and input are
      // considered idempotent"), another input is ExecutionAlreadyExists, a conflict to the adapter.
      start: async (name: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart> => {
        const holder = started.find((s) => s.name === name);
        if (holder) {
          if (JSON.stringify(holder.input) === JSON.stringify(input)) {
            return { kind: 'started', executionName: name, executionArn: executionArn(name) };
          }
          return {
            kind: 'conflict',
            executionName: name,
            executionArn: executionArn(name),
            existingStatus: 'RUNNING',
            existingInput: holder.input,
          };
        }
        started.push({ name, input: { ...input } });
        return { kind: 'started', executionName: name, executionArn: executionArn(name) };
      },
    },
    clock: { nowMs: () => nowMs },
    // As Step Functions lists them: every started execution still runs.
    runningRollingUpdates: async () =>
      (held.listingLags ? [] : started).map((s) => ({
        executionArn: executionArn(s.name),
        groupName: String(s.input.groupName),
      })),
    deployment: 'Prescale',
    isGloballyPaused: async () => held.globallyPaused ?? false,
  };
  const config = parseConfig(
    userConfigSchema,
    {
      mode: held.mode ?? 'forecast-and-scale',
      groups: {
        names: [...(held.webByTag ? [] : ['web']), 'busy', ...moreGroups],
        ...(held.webByTag ? { tag: { key: 'prescale:enabled', value: 'true' } } : {}),
      },
      rollingUpdate: {
        autoStartOnScheduledEvents: enabled,
        ...(held.refresh ? { instanceWarmupSeconds: held.refresh.instanceWarmupSeconds } : {}),
      },
    },
    'test',
  );
  return { started, result: findScheduledMaintenance(deps, config), scalingTarget: deps.scalingTarget };
}

const event = (
  instanceId: string,
  groupName: string | undefined,
  notBeforeMs: number,
): ScheduledInstanceEvent => ({
  instanceId,
  ...(groupName ? { groupName } : {}),
  code: 'instance-retirement',
  notBeforeMs,
  description: 'degraded hardware',
});

describe('findScheduledMaintenance', () => {
  it('starts one refresh of the current version per affected group, before the first event', async () => {
    const { started, result } = scan([
      event('i-1', 'web', NOW + 3 * DAY),
      event('i-2', 'web', NOW + 2 * DAY),
      event('i-3', undefined, NOW + DAY),
      event('i-4', 'unenrolled', NOW + DAY),
      event('i-5', 'busy', NOW + DAY),
    ]);
    expect(await result).toEqual([
      {
        kind: 'skipped',
        groupName: 'busy',
        reason: 'an instance refresh is already in progress on busy; nothing was changed',
        unserved: { code: 'instance-retirement', instanceId: 'i-5', notBefore: '2026-03-03T09:30:00.000Z' },
      },
      { kind: 'skipped', groupName: 'unenrolled', reason: 'not enrolled in Prescale' },
      {
        kind: 'started',
        groupName: 'web',
        executionName: 'web-v6-20260302T0000',
        instanceIds: ['i-1', 'i-2'],
        // The latest start, less the day and the hour the next scan needs to force a deferred one.
        deadline: new Date(NOW + 2 * DAY - REFRESH_MS - 2 * HOUR - 25 * HOUR).toISOString(),
      },
    ]);
    expect(started[0]?.input).toMatchObject({
      groupName: 'web',
      launchTemplateVersion: '6',
      reason: 'scheduled-maintenance',
      force: false,
    });
  });

  it("reports a retried scan as already started, also when the deadline moved, and a person's request of the day's name as a conflict with its status", async () => {
    const first = scan([event('i-1', 'web', NOW + 2 * DAY)]);
    await first.result;
    const retried = scan([event('i-1', 'web', NOW + 2 * DAY)], true, {}, [], first.started);
    expect(await retried.result).toEqual([
      expect.objectContaining({ kind: 'already-started', groupName: 'web', existingStatus: 'RUNNING' }),
    ]);
    // An earlier event moved the deadline: the day's refresh of the group is under way all the same.
    const sooner = scan([event('i-2', 'web', NOW + DAY)], true, {}, [], first.started);
    expect(await sooner.result).toEqual([
      expect.objectContaining({
        kind: 'already-started',
        executionName: 'web-v6-20260302T0000',
        existingStatus: 'RUNNING',
      }),
    ]);
    expect(first.started).toHaveLength(1);
    // A person's request started at 00:00 UTC is named as the day's scan is: not the scan's refresh.
    const byPerson = [
      {
        name: 'web-v6-20260302T0000',
        input: { groupName: 'web', launchTemplateVersion: '6', reason: 'manual', force: true },
      },
    ];
    const taken = scan([event('i-1', 'web', NOW + 2 * DAY)], true, {}, [], byPerson);
    expect(await taken.result).toEqual([
      expect.objectContaining({
        kind: 'conflict',
        executionName: 'web-v6-20260302T0000',
        existingStatus: 'RUNNING',
      }),
    ]);
    expect(byPerson).toHaveLength(1);
  });

  it.each([
    ['its latest start has passed (the deadline is now)', NOW + HOUR],
    [
      'its deadline comes within the hour on the retry (forced then, not before)',
      NOW + HOUR + 30_000 + REFRESH_MS + 2 * HOUR + 25 * HOUR,
    ],
  ])(
    'reports a forced refresh a retried scan asks again as already started, not counted twice: %s',
    async (_when, firstEventMs) => {
      const first = scan([event('i-1', 'web', firstEventMs)]);
      const firstActions = await first.result;
      for (const listingLags of [false, true]) {
        const retried = scan(
          [event('i-1', 'web', firstEventMs)],
          true,
          { listingLags },
          [],
          first.started,
          NOW + 60_000,
        );
        const retriedActions = await retried.result;
        expect(retriedActions).toEqual([
          expect.objectContaining({
            kind: 'already-started',
            executionName: 'web-v6-20260302T0000',
            existingStatus: 'RUNNING',
          }),
        ]);
        // What MaintenanceRefreshesStarted counts over both runs.
        expect([...firstActions, ...retriedActions].filter((a) => a.kind === 'started')).toHaveLength(1);
      }
      expect(first.started).toHaveLength(1);
    },
  );

  it.each([
    ["an earlier day's scan, still waiting for its window", 'web-v6-20260301T0000'],
    ["an update plan's child", 'plan-1-s1-web'],
  ])('starts nothing for a group while another rolling update of it runs: %s', async (_by, name) => {
    const running = [
      { name, input: { groupName: 'web', launchTemplateVersion: '6' } },
      { name: 'api-v3-20260301T0000', input: { groupName: 'api', launchTemplateVersion: '3' } },
    ];
    const { started, result } = scan(
      [event('i-1', 'web', NOW + 14 * DAY), event('i-2', 'other', NOW + 14 * DAY)],
      true,
      {},
      ['other'],
      running,
    );
    expect(await result).toEqual([
      expect.objectContaining({ kind: 'started', groupName: 'other' }),
      {
        kind: 'skipped',
        groupName: 'web',
        reason: expect.stringContaining(
          `a rolling update of it is already running (arn:aws:states:eu-west-1:123456789012:execution:RollingUpdate:${name})`,
        ),
      },
    ]);
    // Not unserved: the running execution replaces the same instances (and notifies if it defers).
    expect(unservedGroups(await result)).toEqual([]);
    expect(started.map((s) => s.name)).toEqual([name, 'api-v3-20260301T0000', 'other-v6-20260302T0000']);
  });

  it('leaves a group unserved by no hold while a rolling update of it runs, its own refresh included', async () => {
    // An earlier day's execution reached its refresh: the refresh in progress holds the group.
    const running = [
      { name: 'busy-v3-20260301T0000', input: { groupName: 'busy', launchTemplateVersion: '3' } },
    ];
    const { started, result } = scan([event('i-5', 'busy', NOW + 3 * DAY)], true, {}, [], running);
    const actions = await result;
    expect(actions).toEqual([
      {
        kind: 'skipped',
        groupName: 'busy',
        reason: expect.stringContaining(
          'an instance refresh is already in progress on busy; nothing was changed; a rolling update of it is already running (arn:aws:states:eu-west-1:123456789012:execution:RollingUpdate:busy-v3-20260301T0000)',
        ),
      },
    ]);
    expect(unservedGroups(actions)).toEqual([]);
    expect(started).toHaveLength(1);
  });

  it("counts a group another deployment manages as not this deployment's: skipped, not unserved", async () => {
    const { started, result } = scan([event('i-1', 'web', NOW + 3 * DAY)], true, {
      webTags: { 'prescale:deployment': 'prescale-prod' },
    });
    const actions = await result;
    expect(actions).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason: expect.stringContaining('managed by Prescale deployment "prescale-prod"'),
      },
    ]);
    expect(unservedGroups(actions)).toEqual([]);
    expect(started).toEqual([]);
    // Its own deployment's tag is no hold.
    const own = scan([event('i-1', 'web', NOW + 3 * DAY)], true, {
      webTags: { 'prescale:deployment': 'Prescale' },
    });
    expect(await own.result).toEqual([expect.objectContaining({ kind: 'started', groupName: 'web' })]);
  });

  it('asks the same of a scan retried the same day, and counts the refresh it started once', async () => {
    const first = scan([event('i-1', 'web', NOW + 21 * DAY)]);
    const firstActions = await first.result;
    const retried = scan([event('i-1', 'web', NOW + 21 * DAY)], true, {}, [], first.started, NOW + 60_000);
    const retriedActions = await retried.result;
    expect(firstActions).toEqual([expect.objectContaining({ kind: 'started' })]);
    // Step Functions answers the same start with success: the scan knew it ran, and reports so.
    expect(retriedActions).toEqual([
      expect.objectContaining({
        kind: 'already-started',
        executionName: 'web-v6-20260302T0000',
        existingStatus: 'RUNNING',
      }),
    ]);
    expect(retriedActions[0]).toMatchObject({ deadline: (firstActions[0] as { deadline: string }).deadline });
    expect(first.started).toHaveLength(1);
    // What MaintenanceRefreshesStarted counts over both runs.
    expect([...firstActions, ...retriedActions].filter((a) => a.kind === 'started')).toHaveLength(1);
  });

  it('starts at once an event whose latest start comes before the next daily scan and its retries', async () => {
    // The window choice may defer at the deadline; the next scan, a day later, would come too late.
    const { started, result } = scan([event('i-1', 'web', NOW + 20 * HOUR + REFRESH_MS + 2 * HOUR)]);
    await result;
    expect(started[0]?.input).toMatchObject({
      force: true,
      deadline: new Date(NOW + 20 * HOUR).toISOString(),
    });
  });

  it('asks for a deadline a day and an hour before the latest start, so the next scan can still force it', async () => {
    const { started, result } = scan([event('i-1', 'web', NOW + 30 * HOUR + REFRESH_MS + 2 * HOUR)]);
    await result;
    expect(started[0]?.input).toMatchObject({
      force: false,
      deadline: new Date(NOW + 5 * HOUR).toISOString(),
    });
  });

  it('asks for a deadline the workflow accepts when the event is weeks ahead: within the week', async () => {
    const { started, result } = scan([event('i-1', 'web', NOW + 14 * DAY)]);
    // A week from the start of the scan's day, which a retry that day asks again.
    expect(await result).toEqual([
      expect.objectContaining({ kind: 'started', deadline: '2026-03-09T00:00:00.000Z' }),
    ]);
    // The validation refuses a deadline further than MAX_WAIT_HOURS (168 h) from when it runs.
    expect(Date.parse(String(started[0]?.input.deadline))).toBeLessThanOrEqual(NOW + MAX_WAIT_HOURS * HOUR);
  });

  it('asks for a latest start that leaves the estimated refresh and two hours before the event', async () => {
    // 10 instances two at a time (90–110 % healthy): 5 batches of 120 s launch + 1800 s warmup, 2 h 40 min.
    const refresh = { desiredCapacity: 10, instanceWarmupSeconds: 1800 };
    const refreshMs = 5 * 1920_000;
    const later = scan([event('i-1', 'web', NOW + 31 * HOUR)], true, { refresh });
    await later.result;
    expect(later.started[0]?.input).toMatchObject({
      force: false,
      deadline: new Date(NOW + 31 * HOUR - refreshMs - 2 * HOUR - 25 * HOUR).toISOString(),
    });
    // Started four hours ahead, this refresh would end after the event: it starts at once instead.
    const sooner = scan([event('i-1', 'web', NOW + 4 * HOUR)], true, { refresh });
    await sooner.result;
    expect(sooner.started[0]?.input).toMatchObject({ force: true, deadline: new Date(NOW).toISOString() });
  });

  it("leaves the refresh of the warm pool's instances too, which the refresh replaces", async () => {
    // Desired 4 of MaxSize 20 with a default warm pool: 16 more in the pool, 20 replaced 4 at a
    // time (90–110 % healthy): 5 batches of 120 s launch + 300 s warmup, not 4 one at a time.
    const refresh = { desiredCapacity: 4, instanceWarmupSeconds: 300, warmPool: { minSize: 0 } };
    const { started, result } = scan([event('i-1', 'web', NOW + 31 * HOUR)], true, { refresh });
    await result;
    expect(started[0]?.input).toMatchObject({
      force: false,
      deadline: new Date(NOW + 31 * HOUR - 5 * 420_000 - 2 * HOUR - 25 * HOUR).toISOString(),
    });
  });

  it('starts at once when the event is too close for a window', async () => {
    const { started, result } = scan([event('i-1', 'web', NOW + 3_600_000)]);
    await result;
    expect(started[0]?.input).toMatchObject({ force: true, deadline: new Date(NOW).toISOString() });
  });

  it('starts a refresh for each of two groups whose names clean alike (svc.a, svc-a)', async () => {
    const { started, result } = scan(
      [event('i-1', 'svc.a', NOW + 3 * DAY), event('i-2', 'svc-a', NOW + 3 * DAY)],
      true,
      {},
      ['svc.a', 'svc-a'],
    );
    const actions = await result;
    expect(actions.map((a) => [a.groupName, a.kind])).toEqual([
      ['svc-a', 'started'],
      ['svc.a', 'started'],
    ]);
    expect(started.map((s) => s.input.groupName)).toEqual(['svc-a', 'svc.a']);
    expect(started[0]?.name).toBe('svc-a-v6-20260302T0000');
    expect(started[1]?.name).toMatch(/^svc-a-[0-9a-f]{8}-v6-20260302T0000$/);
  });

  it.each([
    ['the kill switch is on', { globallyPaused: true }, 'Prescale is paused for all groups (kill switch)'],
    ['the group is forecast-only by config', { mode: 'forecast-only' as const }, 'forecast-only mode'],
    [
      'the group is forecast-only by tag',
      { webTags: { 'prescale:mode': 'forecast-only' } },
      'forecast-only mode',
    ],
    ['the group is paused', { webTags: { 'prescale:paused': 'true' } }, 'paused by its prescale:paused tag'],
    [
      'the image of its version was deregistered',
      { imageGone: true },
      "its launch template's image ami-gone no longer exists",
    ],
  ])('starts nothing when %s, saying why', async (_when, held, reason) => {
    const { started, result } = scan([event('i-1', 'web', NOW + DAY)], true, held);
    expect(await result).toEqual([
      {
        kind: 'skipped',
        groupName: 'web',
        reason: expect.stringContaining(reason),
        unserved: { code: 'instance-retirement', instanceId: 'i-1', notBefore: '2026-03-03T09:30:00.000Z' },
      },
    ]);
    expect(started).toEqual([]);
  });

  it('describes only the groups with events, however many are enrolled', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `g-${i}`);
    const { result, scalingTarget } = scan(
      [event('i-1', 'web', NOW + 3 * DAY), event('i-2', 'unenrolled', NOW + DAY)],
      true,
      {},
      many,
    );
    expect((await result).map((a) => [a.groupName, a.kind])).toEqual([
      ['unenrolled', 'skipped'],
      ['web', 'started'],
    ]);
    // Each enrolled group costs a DescribePolicies and a DescribeInstanceRefreshes when described.
    expect(scalingTarget.described.flat()).toEqual(['web']);
  });

  it('finds a group enrolled by its tag among those with events, and describes it alone', async () => {
    const { result, scalingTarget } = scan(
      [event('i-1', 'web', NOW + 3 * DAY)],
      true,
      { webByTag: true, webTags: { 'prescale:enabled': 'true' } },
      ['g-1', 'g-2'],
    );
    expect((await result).map((a) => [a.groupName, a.kind])).toEqual([['web', 'started']]);
    expect(scalingTarget.described.flat()).toEqual(['web']);
  });

  it('does nothing unless enabled in config', async () => {
    const { started, result } = scan([event('i-1', 'web', NOW + DAY)], false);
    expect(await result).toEqual([]);
    expect(started).toEqual([]);
  });
});
