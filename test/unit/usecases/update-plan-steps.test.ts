import { parseConfig } from '../../../shared/contracts/parse-config';
import { advanceUpdatePlanEventSchema } from '../../../shared/contracts/update-plan';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { TransientDependencyError } from '../../../shared/ports/errors';
import type { WorkflowStart } from '../../../shared/ports/workflow-starter';
import { advanceUpdatePlan } from '../../../shared/usecases/advance-update-plan';
import { cancelUpdatePlan } from '../../../shared/usecases/cancel-update-plan';
import { checkUpdateConflicts } from '../../../shared/usecases/check-update-conflicts';
import { lockUpdatePlan } from '../../../shared/usecases/lock-update-plan';
import { releaseUpdatePlan } from '../../../shared/usecases/release-update-plan';
import { requestUpdatePlan } from '../../../shared/usecases/request-update-plan';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { MemoryUpdatePlanStore } from '../../fakes/memory-update-plan-store';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const config = parseConfig(
  userConfigSchema,
  {
    mode: 'forecast-and-scale',
    groups: { names: ['web', 'api', 'db', 'mobile'] },
    dependencies: {
      edges: [
        { from: 'web', to: 'api' },
        { from: 'api', to: 'db' },
      ],
    },
  },
  'test config',
);
const clock = { nowMs: () => T0 };
const plan = (planName: string, groups: string[]) => ({
  planName,
  groups: groups.map((groupName) => ({ groupName, targetVersion: '7', previousVersion: '6' })),
  lockExpiresAtMs: T0 + 6 * HOUR_MS,
});
const world = () => {
  const planLocks = new MemoryUpdatePlanStore();
  const locks = new MemoryStateStore();
  return {
    planLocks,
    locks,
    plans: planLocks,
    clock,
    discoveredDependencies: new MemoryDiscoveredDependencyStore(),
  };
};

describe('lockUpdatePlan', () => {
  it('locks every member group for the plan', async () => {
    const deps = world();
    expect(await lockUpdatePlan(deps, config, plan('plan-a', ['web', 'db']))).toEqual({
      kind: 'locked',
      groupNames: ['db', 'web'],
    });
    expect((await deps.planLocks.getPlanLock('web', T0))?.expiresAtMs).toBe(T0 + 6 * HOUR_MS);
  });

  it('releases what it took when a later write fails, and passes the error on', async () => {
    const deps = world();
    deps.planLocks.failNextAcquire.set('web', new TransientDependencyError('DynamoDB', 'PutItem'));
    await expect(lockUpdatePlan(deps, config, plan('plan-a', ['web', 'db']))).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
    expect(deps.planLocks.locks.size).toBe(0);
  });

  it('refuses when a dependent group belongs to another plan, and leaves that plan alone', async () => {
    const deps = world();
    await lockUpdatePlan(deps, config, plan('plan-a', ['db']));
    const result = await lockUpdatePlan(deps, config, plan('plan-b', ['api', 'mobile']));
    expect(result).toEqual({
      kind: 'conflict',
      reason: 'dependent group db belongs to update plan plan-a; nothing was changed',
    });
    expect([...deps.planLocks.locks.keys()]).toEqual(['db']);
  });
});

describe('releaseUpdatePlan', () => {
  it('releases its own plan locks only', async () => {
    const deps = world();
    await lockUpdatePlan(deps, config, plan('plan-a', ['web']));
    await lockUpdatePlan(deps, config, plan('plan-b', ['db']));
    expect(await releaseUpdatePlan(deps, plan('plan-a', ['web', 'db']))).toEqual({ released: ['web', 'db'] });
    expect([...deps.planLocks.locks.values()].map((l) => l.holder)).toEqual(['plan-b']);
  });
});

describe('checkUpdateConflicts', () => {
  const state = (groupName: string, planExecutionName?: string) =>
    ({
      plan: {
        groupName,
        executionName: `${groupName}-v7`,
        ...(planExecutionName ? { planExecutionName } : {}),
      },
    }) as never;

  it('clears an update whose own lock is the only one around', async () => {
    const deps = world();
    await deps.locks.acquireLock({
      groupName: 'api',
      holder: 'api-v7',
      acquiredAtMs: T0,
      expiresAtMs: T0 + HOUR_MS,
    });
    expect(await checkUpdateConflicts(deps, config, state('api'))).toEqual({ kind: 'clear' });
  });

  it('finds a dependent group updated by another execution or held by another plan', async () => {
    const deps = world();
    await deps.locks.acquireLock({
      groupName: 'web',
      holder: 'web-v3',
      acquiredAtMs: T0,
      expiresAtMs: T0 + HOUR_MS,
    });
    await lockUpdatePlan(deps, config, plan('plan-a', ['db']));
    const check = await checkUpdateConflicts(deps, config, state('api'));
    expect(check.kind === 'conflict' && check.reason).toBe(
      'dependent group db belongs to update plan plan-a; dependent group web is being updated by web-v3; dependent groups are never updated at the same time, nothing was changed',
    );
  });

  it('lets a plan’s child through its own plan’s locks', async () => {
    const deps = world();
    await lockUpdatePlan(deps, config, plan('plan-a', ['web', 'api', 'db']));
    expect(await checkUpdateConflicts(deps, config, state('api', 'plan-a'))).toEqual({ kind: 'clear' });
    expect((await checkUpdateConflicts(deps, config, state('api'))).kind).toBe('conflict');
  });
});

describe('advanceUpdatePlan', () => {
  const planned = {
    outcome: 'planned' as const,
    planName: 'plan-a',
    groups: [{ groupName: 'web', targetVersion: '7', previousVersion: '6' }],
    order: ['web'],
    slots: [
      {
        slotIndex: 0,
        label: 'Slot 1 of 1: update web',
        startMs: T0 + HOUR_MS,
        endMs: T0 + 2 * HOUR_MS,
        groups: [],
      },
    ],
    rejected: [],
    headroomCostUsd: 0,
    warnings: [],
    summary: [],
    lockExpiresAtMs: T0,
    recordExpiresAt: '0',
    recordPk: 'PLAN#plan-a',
  };

  it('waits for the slot, and undoes once an operator cancelled', async () => {
    const deps = world();
    expect(await advanceUpdatePlan(deps, { plan: planned })).toMatchObject({
      action: 'wait',
      waitSeconds: 900,
    });
    deps.planLocks.plans.set('plan-a', { reason: 'freeze', requestedAtMs: T0 });
    expect(await advanceUpdatePlan(deps, { plan: planned })).toMatchObject({
      action: 'undo',
      error: 'PlanCancelled',
    });
  });

  it('reads a step decided before progress named deleted or left-running groups (a plan running across a deployment) as none', async () => {
    const event = advanceUpdatePlanEventSchema.parse({
      plan: planned,
      step: {
        action: 'wait',
        label: 'Wait for slot 1',
        waitSeconds: 900,
        children: [],
        progress: { nextSlot: 0, updated: [], log: [] },
      },
    });
    expect(event.step?.progress.deleted).toEqual([]);
    expect(event.step?.progress.leftRunning).toEqual([]);
    expect(await advanceUpdatePlan(world(), event)).toMatchObject({
      action: 'wait',
      progress: { deleted: [], leftRunning: [] },
    });
  });

  it('does not read the cancel again while finishing an undo', async () => {
    const deps = {
      plans: {
        cancelRequest: async () => {
          throw new Error('must not be read');
        },
      },
      clock,
    };
    const undo = {
      action: 'undo' as const,
      label: 'Nothing to undo',
      waitSeconds: 0,
      children: [],
      progress: { nextSlot: 0, updated: [], deleted: [], leftRunning: [], log: [] },
      error: 'PlanCancelled',
      cause: 'x',
    };
    expect(await advanceUpdatePlan(deps, { plan: planned, step: { ...undo, results: [] } })).toMatchObject({
      action: 'fail',
    });
  });
});

describe('requestUpdatePlan', () => {
  const started: { name: string; input: unknown }[] = [];
  const rejected: { event: unknown; reason: string }[] = [];
  const deps = {
    starter: {
      start: async (name: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart> => {
        started.push({ name, input });
        const kind = started.filter((s) => s.name === name).length > 1 ? 'already-started' : 'started';
        return { kind, executionName: name, executionArn: '' };
      },
    },
    deadLetters: { reject: async (event: unknown, reason: string) => void rejected.push({ event, reason }) },
  };
  const detail = {
    groups: [
      { groupName: 'web', launchTemplateVersion: '7' },
      { groupName: 'api', launchTemplateVersion: '3' },
    ],
  };
  const nameOf = (start: Awaited<ReturnType<typeof requestUpdatePlan>>) =>
    start.kind === 'rejected' ? start.reason : start.executionName;

  it('names a plan after the minute and its groups, so a duplicate request starts nothing twice', async () => {
    const first = await requestUpdatePlan(deps, { time: '2026-03-02T01:00:05Z', detail });
    const reordered = { groups: [...detail.groups].reverse() };
    const again = await requestUpdatePlan(deps, { time: '2026-03-02T01:00:40Z', detail: reordered });
    expect(nameOf(first)).toMatch(/^plan-20260302T0100-[0-9a-f]{8}$/);
    expect(again).toMatchObject({ kind: 'already-started', executionName: nameOf(first) });
    const other = await requestUpdatePlan(deps, {
      time: '2026-03-02T01:00:40Z',
      detail: { groups: [{ groupName: 'web', launchTemplateVersion: '8' }] },
    });
    expect(nameOf(other)).not.toBe(nameOf(first));
  });

  it('sends a different request that finds its name taken to the dead-letter queue, naming the holder', async () => {
    const dead: string[] = [];
    const taken = {
      starter: {
        start: async (name: string): Promise<WorkflowStart> => ({
          kind: 'conflict',
          executionName: name,
          executionArn: `arn:${name}`,
          existingStatus: 'SUCCEEDED',
        }),
      },
      deadLetters: { reject: async (_event: unknown, reason: string) => void dead.push(reason) },
    };
    const result = await requestUpdatePlan(taken, { time: '2026-03-02T01:00:05Z', detail });
    expect(result).toMatchObject({ kind: 'conflict', existingStatus: 'SUCCEEDED' });
    expect(dead).toEqual([
      expect.stringMatching(/^update plan plan-20260302T0100-[0-9a-f]{8} \(SUCCEEDED\).*NOT started/),
    ]);
  });

  it('sends a malformed detail to the dead-letter queue with the field, starting nothing', async () => {
    const count = started.length;
    const event = {
      time: '2026-03-02T01:00:05Z',
      detail: { groups: [{ groupName: 'web', launchTemplateVersion: '$Latest' }] },
    };
    const result = await requestUpdatePlan(deps, event);
    expect(result.kind).toBe('rejected');
    expect(nameOf(result)).toContain('groups.0.launchTemplateVersion');
    expect(rejected).toEqual([{ event, reason: nameOf(result) }]);
    expect(started).toHaveLength(count);
  });

  it('sends a detail with a misspelt field to the dead-letter queue naming it, starting nothing', async () => {
    const count = started.length;
    const event = { time: '2026-03-02T01:00:05Z', detail: { ...detail, maxConcurrentUpdate: 1 } };
    const result = await requestUpdatePlan(deps, event);
    expect(nameOf(result)).toContain('(root): Unrecognized key: "maxConcurrentUpdate"');
    expect(started).toHaveLength(count);
  });
});

describe('cancelUpdatePlan', () => {
  const dlq = () => {
    const rejected: string[] = [];
    return {
      rejected,
      deadLetters: { reject: async (_e: unknown, reason: string) => void rejected.push(reason) },
    };
  };

  it('records the cancel of a recorded plan', async () => {
    const deps = { ...world(), ...dlq() };
    deps.planLocks.plans.set('plan-a', undefined);
    expect(await cancelUpdatePlan(deps, { detail: { planExecutionName: 'plan-a' } })).toEqual({
      kind: 'cancel-requested',
      planExecutionName: 'plan-a',
      reason: 'cancelled by an operator',
    });
    expect(await deps.planLocks.cancelRequest('plan-a')).toEqual({
      reason: 'cancelled by an operator',
      requestedAtMs: T0,
    });
    expect(deps.rejected).toEqual([]);
  });

  it('sends a cancel of an unknown plan or a malformed detail to the dead-letter queue', async () => {
    const deps = { ...world(), ...dlq() };
    expect(await cancelUpdatePlan(deps, { detail: { planExecutionName: 'plan-x' } })).toMatchObject({
      kind: 'rejected',
    });
    expect(await cancelUpdatePlan(deps, { detail: {} })).toMatchObject({ kind: 'rejected' });
    expect(deps.rejected[0]).toContain('no update plan named plan-x is recorded');
    // A plan just started is recorded only after its compute and lock steps: the operator is told to resend.
    expect(deps.rejected[0]).toContain(
      'recorded only after its "Compute plan" and "Lock plan groups" steps (a few minutes after it starts): if it started just now, send this cancel again in a few minutes',
    );
    expect(deps.rejected[1]).toContain('planExecutionName');
  });

  it('sends a cancel with a misspelt field to the dead-letter queue naming it, and cancels nothing', async () => {
    const deps = { ...world(), ...dlq() };
    deps.planLocks.plans.set('plan-a', undefined);
    const detail = { planExecutionName: 'plan-a', reson: 'bad deploy' };
    expect(await cancelUpdatePlan(deps, { detail })).toMatchObject({ kind: 'rejected' });
    expect(deps.rejected).toEqual([expect.stringContaining('(root): Unrecognized key: "reson"')]);
    expect(await deps.planLocks.cancelRequest('plan-a')).toBeUndefined();
  });
});
