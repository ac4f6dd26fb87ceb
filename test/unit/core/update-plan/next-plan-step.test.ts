import fc from 'fast-check';
import { childFailure } from '../../../../shared/core/update-plan/child-detail';
import {
  FALLBACK_UNDO_DEADLINE_SECONDS,
  nextPlanStep,
} from '../../../../shared/core/update-plan/next-plan-step';
import { planChildName, planRevertPrefix } from '../../../../shared/core/update-plan/plan-child-name';
import {
  type ChildOutcome,
  type PlanChild,
  type PlanStep,
  REFRESH_LEFT_RUNNING,
  ROLLED_OUT_ERROR,
  type RunnablePlan,
} from '../../../../shared/core/update-plan/types';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2026-03-02T01:00:00Z');
const PLAN = 'plan-x';

const child = (groupName: string, slotIndex: number): PlanChild => ({
  groupName,
  label: `Slot ${slotIndex + 1}: update ${groupName}`,
  childName: planChildName(PLAN, 'update', slotIndex, groupName),
  slotIndex,
  input: {
    groupName,
    launchTemplateVersion: '7',
    reason: 'manual',
    force: false,
    skipMatching: false,
    deadline: new Date(T0 + (slotIndex + 1) * HOUR_MS).toISOString(),
    planExecutionName: PLAN,
  },
});

/** web → api → db, one slot each from T0; `mobile` shares slot 1 with web (no edge between them). */
const plan: RunnablePlan = {
  planName: PLAN,
  groups: ['web', 'mobile', 'api', 'db'].map((groupName) => ({
    groupName,
    targetVersion: '7',
    previousVersion: '6',
  })),
  order: ['web', 'mobile', 'api', 'db'],
  slots: [
    {
      slotIndex: 0,
      label: 'Slot 1 of 3: update web, mobile',
      startMs: T0,
      endMs: T0 + HOUR_MS,
      groups: [child('web', 0), child('mobile', 0)],
    },
    {
      slotIndex: 1,
      label: 'Slot 2 of 3: update api',
      startMs: T0 + HOUR_MS,
      endMs: T0 + 2 * HOUR_MS,
      groups: [child('api', 1)],
    },
    {
      slotIndex: 2,
      label: 'Slot 3 of 3: update db',
      startMs: T0 + 2 * HOUR_MS,
      endMs: T0 + 3 * HOUR_MS,
      groups: [child('db', 2)],
    },
  ],
};

const base = { plan, checkIntervalSeconds: 900, undoDeadlineSeconds: 3600 };
const ok = (c: PlanChild): ChildOutcome => ({ ...c, status: 'Succeeded' });

function runSlot(previous: PlanStep | undefined, nowMs: number, results?: ChildOutcome[]) {
  return nextPlanStep({ ...base, nowMs, ...(previous ? { previous } : {}), ...(results ? { results } : {}) });
}

describe('nextPlanStep', () => {
  it('runs the first slot at once when it has started', () => {
    const step = runSlot(undefined, T0);
    expect(step).toMatchObject({ action: 'run-slot', label: 'Slot 1 of 3: update web, mobile' });
    expect(step.children.map((c) => c.childName)).toEqual(['plan-x-s1-web', 'plan-x-s1-mobile']);
  });

  it('waits for the next slot in chunks no longer than the check interval', () => {
    const first = runSlot(undefined, T0);
    const step = runSlot(first, T0 + 10 * 60_000, first.children.map(ok));
    expect(step).toMatchObject({ action: 'wait', waitSeconds: 900 });
    expect(step.progress.updated.map((u) => u.groupName)).toEqual(['web', 'mobile']);
    expect(runSlot(step, T0 + HOUR_MS - 60_000)).toMatchObject({ action: 'wait', waitSeconds: 60 });
  });

  it('ends done after the last slot', () => {
    let step = runSlot(undefined, T0);
    step = runSlot(step, T0 + HOUR_MS, step.children.map(ok));
    step = runSlot(step, T0 + 2 * HOUR_MS, step.children.map(ok));
    step = runSlot(step, T0 + 3 * HOUR_MS - 1, step.children.map(ok));
    expect(step.action).toBe('done');
    expect(step.progress.updated).toHaveLength(4);
  });

  it('undoes updated groups latest slot first and downstream first when a group fails', () => {
    let step = runSlot(undefined, T0);
    step = runSlot(step, T0 + HOUR_MS, step.children.map(ok));
    const failed: ChildOutcome = {
      ...(step.children[0] as PlanChild),
      status: 'Failed',
      error: 'States.TaskFailed',
      detail: 'RefreshFailed',
    };
    step = runSlot(step, T0 + HOUR_MS + 1, [failed]);
    expect(step).toMatchObject({ action: 'undo', error: 'GroupUpdateFailed' });
    expect(step.cause).toContain('Slot 2: update api failed with States.TaskFailed: RefreshFailed');
    expect(step.children.map((c) => c.label)).toEqual(['Undo slot 1: mobile', 'Undo slot 1: web']);
    expect(step.children[0]?.input).toMatchObject({
      launchTemplateVersion: '6',
      force: true,
      skipMatching: true,
      planExecutionName: PLAN,
    });
    expect(step.children[0]?.childName).toBe('plan-x-undo-s1-mobile');
  });

  it('undoes a group that rolled out before a later step of its child failed', () => {
    let step = runSlot(undefined, T0);
    step = runSlot(step, T0 + HOUR_MS, step.children.map(ok));
    // As startExecution.sync reports a failed child: its own Error is inside the Cause.
    const rolledOut: ChildOutcome = {
      ...(step.children[0] as PlanChild),
      status: 'Failed',
      error: 'States.TaskFailed',
      detail: JSON.stringify({ status: 'FAILED', error: ROLLED_OUT_ERROR, cause: 'restore failed' }),
    };
    step = runSlot(step, T0 + HOUR_MS + 1, [rolledOut]);
    expect(step).toMatchObject({ action: 'undo', error: 'GroupUpdateFailed' });
    expect(step.cause).toContain(
      `Slot 2: update api failed with States.TaskFailed: ${ROLLED_OUT_ERROR}: restore failed`,
    );
    expect(step.children.map((c) => c.label)).toEqual([
      'Undo slot 2: api',
      'Undo slot 1: mobile',
      'Undo slot 1: web',
    ]);
    expect(step.progress.updated.map((u) => u.groupName)).toEqual(['web', 'mobile', 'api']);
  });

  it('undoes a group whose child gave up on a refresh status it does not know: the refresh may still complete', () => {
    let step = runSlot(undefined, T0);
    step = runSlot(step, T0 + HOUR_MS, step.children.map(ok));
    // Rolled back with RefreshStatusUnknown: the refresh was handed over, not rolled back.
    const unknown: ChildOutcome = {
      ...(step.children[0] as PlanChild),
      status: 'Failed',
      error: 'States.TaskFailed',
      detail: JSON.stringify({
        status: 'FAILED',
        error: 'RefreshStatusUnknown',
        cause: 'Auto Scaling reports the refresh as Settling, a status Prescale does not know',
      }),
    };
    step = runSlot(step, T0 + HOUR_MS + 1, [unknown]);
    expect(step).toMatchObject({ action: 'undo', error: 'GroupUpdateFailed' });
    expect(step.children.map((c) => c.label)).toEqual([
      'Undo slot 2: api',
      'Undo slot 1: mobile',
      'Undo slot 1: web',
    ]);
    // A child that rolled back for a known reason is left out: it restored its version itself.
    let failed = runSlot(undefined, T0);
    failed = runSlot(failed, T0 + HOUR_MS, failed.children.map(ok));
    failed = runSlot(failed, T0 + HOUR_MS + 1, [
      {
        ...(failed.children[0] as PlanChild),
        status: 'Failed',
        error: 'States.TaskFailed',
        detail: JSON.stringify({ status: 'FAILED', error: 'RefreshFailed', cause: 'launch failed' }),
      },
    ]);
    expect(failed.children.map((c) => c.label)).toEqual(['Undo slot 1: mobile', 'Undo slot 1: web']);
  });

  it('neither counts updated nor undoes a group whose child left a refresh running under it: it needs attention', () => {
    let step = runSlot(undefined, T0);
    step = runSlot(step, T0 + HOUR_MS, step.children.map(ok));
    const leftRunning: ChildOutcome = {
      ...(step.children[0] as PlanChild),
      status: 'Failed',
      error: 'States.TaskFailed',
      detail: JSON.stringify({
        status: 'FAILED',
        error: REFRESH_LEFT_RUNNING,
        cause: 'AlarmTriggered: api-5xx in ALARM Left running: gave up: refresh InProgress still active',
      }),
    };
    step = runSlot(step, T0 + HOUR_MS + 1, [leftRunning]);
    expect(step).toMatchObject({ action: 'undo', error: 'GroupUpdateFailed' });
    // Its refresh still runs: a revert started under it would meet it; the operator decides.
    expect(step.children.map((c) => c.label)).toEqual(['Undo slot 1: mobile', 'Undo slot 1: web']);
    expect(step.progress.updated.map((u) => u.groupName)).toEqual(['web', 'mobile']);
    expect(step.cause).toContain(
      'Slot 2: update api left a refresh running, neither updated nor undone, needs attention:',
    );
  });

  it('names a group left with a refresh running as needing attention after the undo, its label too', () => {
    let step = runSlot(undefined, T0);
    step = runSlot(step, T0 + HOUR_MS, step.children.map(ok));
    step = runSlot(step, T0 + HOUR_MS + 1, [
      {
        ...(step.children[0] as PlanChild),
        status: 'Failed',
        error: 'States.TaskFailed',
        detail: JSON.stringify({ status: 'FAILED', error: REFRESH_LEFT_RUNNING, cause: 'gave up' }),
      },
    ]);
    // Every revert succeeds: web and mobile are back, api is neither updated nor undone.
    const done = runSlot(step, T0 + 2 * HOUR_MS, step.children.map(ok));
    expect(done).toMatchObject({ action: 'fail', label: 'Undo complete, needs attention' });
    expect(done.cause).toContain('Left with a refresh running, neither updated nor undone: api.');
    expect(done.progress.leftRunning.map((g) => g.groupName)).toEqual(['api']);
  });

  it('prepares the undo to run if the next decision fails: the updated groups, and the running slot', () => {
    const first = runSlot(undefined, T0);
    const waiting = runSlot(first, T0 + 10 * 60_000, first.children.map(ok));
    expect(waiting.fallback?.children.map((c) => c.label)).toEqual([
      'Undo slot 1: mobile',
      'Undo slot 1: web',
    ]);
    const second = runSlot(waiting, T0 + HOUR_MS);
    expect(second.action).toBe('run-slot');
    expect(second.fallback?.label).toBe('Undo slot 2: api, Undo slot 1: mobile, Undo slot 1: web');
    expect(second.fallback?.children[0]?.input).toMatchObject({
      groupName: 'api',
      launchTemplateVersion: '6',
      force: true,
    });
    // Run maybe hours later, after the slot: the usual hour's deadline would have passed by then.
    expect(Date.parse(second.fallback?.children[0]?.input.deadline ?? '')).toBe(
      T0 + HOUR_MS + FALLBACK_UNDO_DEADLINE_SECONDS * 1000,
    );
    expect(first.fallback?.children.map((c) => c.childName)).toEqual([
      'plan-x-undo-s1-mobile',
      'plan-x-undo-s1-web',
    ]);
  });

  it('treats a deferred group as a failure of the plan', () => {
    const first = runSlot(undefined, T0);
    const step = runSlot(first, T0 + 1, [
      ok(first.children[0] as PlanChild),
      { ...(first.children[1] as PlanChild), status: 'Deferred' },
    ]);
    expect(step).toMatchObject({ action: 'undo', error: 'GroupUpdateDeferred' });
    expect(step.children.map((c) => c.groupName)).toEqual(['web']);
  });

  it('undoes on a cancel and on a caught task error, with nothing to undo before the first slot', () => {
    const cancelled = nextPlanStep({
      ...base,
      nowMs: T0,
      cancel: { reason: 'change freeze', requestedAtMs: T0 },
    });
    expect(cancelled).toMatchObject({ action: 'undo', error: 'PlanCancelled', children: [] });
    expect(cancelled.cause).toContain('change freeze');
    const errored = nextPlanStep({
      ...base,
      nowMs: T0,
      error: { Error: 'States.Runtime', Cause: 'bad path' },
    });
    expect(errored).toMatchObject({ action: 'undo', error: 'States.Runtime', cause: 'bad path' });
  });

  it('undoes every group of a slot whose Map failed as a whole, since any may have been updated', () => {
    const first = runSlot(undefined, T0);
    const step = nextPlanStep({
      ...base,
      previous: first,
      results: [],
      error: { Error: 'States.Runtime' },
      nowMs: T0 + 1,
    });
    expect(step).toMatchObject({ action: 'undo', error: 'States.Runtime' });
    expect(step.children.map((c) => c.groupName)).toEqual(['mobile', 'web']);
  });

  it('undoes when a slot ended before it could start', () => {
    expect(runSlot(undefined, T0 + HOUR_MS)).toMatchObject({ action: 'undo', error: 'SlotMissed' });
  });

  it('fails after the undo, saying what was undone and what needs attention', () => {
    const first = runSlot(undefined, T0);
    const undo = nextPlanStep({
      ...base,
      previous: runSlot(first, T0 + 1, first.children.map(ok)),
      nowMs: T0 + 2,
      cancel: { reason: 'stop', requestedAtMs: T0 },
    });
    const [mobile, web] = undo.children as [PlanChild, PlanChild];
    const done = nextPlanStep({
      ...base,
      previous: undo,
      nowMs: T0 + 3,
      results: [ok(mobile), { ...web, status: 'Failed', detail: 'RefreshFailed' }],
    });
    expect(done).toMatchObject({ action: 'fail', error: 'PlanCancelled', label: 'Undo incomplete' });
    expect(done.cause).toContain('Undone: mobile (back to v6 by plan-x-undo-s1-mobile)');
    expect(done.cause).toContain('NOT undone, needs attention: web (Failed: RefreshFailed)');
    expect(done.progress.updated.map((u) => u.groupName)).toEqual(['web']);
  });

  it('sends each revert the launch template and versions to find, and leaves a group its owner changed to its owner', () => {
    const recorded = { ...plan, groups: plan.groups.map((g) => ({ ...g, launchTemplateId: 'lt-1' })) };
    const first = nextPlanStep({ ...base, plan: recorded, nowMs: T0 });
    const undo = nextPlanStep({
      ...base,
      plan: recorded,
      previous: nextPlanStep({
        ...base,
        plan: recorded,
        previous: first,
        nowMs: T0 + 1,
        results: first.children.map(ok),
      }),
      nowMs: T0 + 2,
      cancel: { reason: 'stop', requestedAtMs: T0 },
    });
    const [mobile, web] = undo.children as [PlanChild, PlanChild];
    expect(web.input.expectedLaunchTemplate).toEqual({ id: 'lt-1', versions: ['7', '6'] });
    // A plan recorded before its groups' launch templates were (a deployment upgraded mid-plan).
    expect(
      runSlot(runSlot(undefined, T0), T0 + 1, first.children.map(ok)).fallback?.children[0]?.input,
    ).not.toHaveProperty('expectedLaunchTemplate');
    const changed = JSON.stringify({
      error: 'GroupChangedSincePlan',
      cause: 'group web runs version 8 of lt-1 now, not version 7 or 6 of lt-1 as the update plan expects',
    });
    const done = nextPlanStep({
      ...base,
      plan: recorded,
      previous: undo,
      nowMs: T0 + 3,
      results: [ok(mobile), { ...web, status: 'Failed', error: 'States.TaskFailed', detail: changed }],
    });
    expect(done).toMatchObject({ action: 'fail', label: 'Undo incomplete' });
    expect(done.cause).toContain('Undone: mobile (back to v6 by plan-x-undo-s1-mobile).');
    expect(done.cause).toContain(
      'Changed by its owner since the plan touched it, left alone, needs attention: web (GroupChangedSincePlan: group web runs version 8 of lt-1 now',
    );
    expect(done.cause).not.toContain('NOT undone');
    expect(done.cause).not.toContain('web (back to v6');
  });

  it('counts a revert that rolled out but failed to restore capacity as undone, needing attention', () => {
    const first = runSlot(undefined, T0);
    const undo = nextPlanStep({
      ...base,
      previous: runSlot(first, T0 + 1, first.children.map(ok)),
      nowMs: T0 + 2,
      cancel: { reason: 'stop', requestedAtMs: T0 },
    });
    const [mobile, web] = undo.children as [PlanChild, PlanChild];
    const notRestored = JSON.stringify({
      status: 'FAILED',
      error: 'RolledOutNeedsAttention',
      cause: 'States.TaskFailed: throttled Rolled out: capacity was NOT restored, set them back by hand',
    });
    const done = nextPlanStep({
      ...base,
      previous: undo,
      nowMs: T0 + 3,
      results: [ok(mobile), { ...web, status: 'Failed', error: 'States.TaskFailed', detail: notRestored }],
    });
    expect(done).toMatchObject({ action: 'fail', label: 'Undo complete, needs attention' });
    expect(done.cause).not.toContain('NOT undone');
    expect(done.cause).toContain(
      'Undone: mobile (back to v6 by plan-x-undo-s1-mobile), web (back to v6 by plan-x-undo-s1-web; its version is back, but the revert needs attention: RolledOutNeedsAttention: States.TaskFailed: throttled Rolled out: capacity was NOT restored, set them back by hand).',
    );
    expect(done.progress.updated).toEqual([]);
  });

  it("undoes as cancelled when a slot's child deferred on the plan's cancel while it waited for its window", () => {
    const first = runSlot(undefined, T0);
    const second = runSlot(first, T0 + HOUR_MS, first.children.map(ok));
    const step = nextPlanStep({
      ...base,
      previous: second,
      results: second.children.map((c) => ({
        ...c,
        status: 'Deferred' as const,
        detail: 'held: update plan plan-x was cancelled: change freeze',
      })),
      nowMs: T0 + HOUR_MS + 1,
      cancel: { reason: 'change freeze', requestedAtMs: T0 + HOUR_MS },
    });
    expect(step).toMatchObject({ action: 'undo', error: 'PlanCancelled' });
    expect(step.cause).toMatch(
      /^the plan was cancelled: change freeze; .* deferred: held: update plan plan-x was cancelled/,
    );
    // The deferred groups were not updated: only the first slot's are reverted.
    expect(step.children.map((c) => c.groupName).sort()).toEqual(
      first.children.map((c) => c.groupName).sort(),
    );
  });

  it('never undoes a group it did not update, and undoes every group it did, for any failing or cancelled slot, the last too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.boolean(), (failingSlot, cancelInstead) => {
        let step = runSlot(undefined, T0);
        for (let s = 0; s < failingSlot; s++)
          step = runSlot(step, T0 + (s + 1) * HOUR_MS, step.children.map(ok));
        const results = cancelInstead
          ? step.children.map(ok)
          : step.children.map((c) => ({ ...c, status: 'Failed' as const }));
        const next = nextPlanStep({
          ...base,
          previous: step,
          results,
          nowMs: T0 + failingSlot * HOUR_MS + 1,
          ...(cancelInstead ? { cancel: { reason: 'x', requestedAtMs: 0 } } : {}),
        });
        const updated = plan.slots
          .slice(0, cancelInstead ? failingSlot + 1 : failingSlot)
          .flatMap((s) => s.groups.map((g) => g.groupName));
        return (
          next.action === 'undo' &&
          [...next.children.map((c) => c.groupName)].sort().join() === [...updated].sort().join()
        );
      }),
    );
  });
});

describe('planChildName', () => {
  it('names children after the plan, slot and group within 80 allowed characters', () => {
    expect(planChildName('plan-20260302T0100-abcd1234', 'update', 1, 'api')).toBe(
      'plan-20260302T0100-abcd1234-s2-api',
    );
    expect(planChildName('p', 'undo', 0, 'web tier')).toMatch(/^p-undo-s1-web-tier-[0-9a-f]{8}$/);
    // A revert's name tells it from an update's, however long the plan's name.
    for (const planName of ['p', 'x'.repeat(80)]) {
      expect(planChildName(planName, 'undo', 3, 'web').startsWith(planRevertPrefix(planName))).toBe(true);
      expect(planChildName(planName, 'update', 3, 'web').startsWith(planRevertPrefix(planName))).toBe(false);
    }
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.string({ minLength: 1, maxLength: 255 }),
        fc.nat(20),
        (p, g, s) => {
          const name = planChildName(p || 'p', 'undo', s, g);
          return name.length <= 80 && /^[A-Za-z0-9_-]+$/.test(name);
        },
      ),
    );
  });

  it('gives the groups of one slot different names even when they clean or cut alike', () => {
    const groups = ['svc.a', 'svc-a', 'svc a', `${'x'.repeat(200)}-one`, `${'x'.repeat(200)}-two`];
    for (const kind of ['update', 'undo'] as const) {
      const names = groups.map((g) => planChildName('plan-20260302T0100-abcd1234', kind, 0, g));
      expect(new Set(names).size).toBe(groups.length);
      expect(groups.map((g) => planChildName('plan-20260302T0100-abcd1234', kind, 0, g))).toEqual(names);
    }
  });
});

describe('childFailure', () => {
  it('reads the child execution error and cause out of a startExecution.sync Cause', () => {
    const cause = JSON.stringify({
      executionArn: 'arn:x',
      status: 'FAILED',
      error: 'RefreshFailed',
      cause: 'health checks',
    });
    expect(childFailure(cause)).toBe('RefreshFailed: health checks');
    expect(childFailure('plain text')).toBe('plain text');
    expect(childFailure('{"other":1}')).toBe('{"other":1}');
  });
});
