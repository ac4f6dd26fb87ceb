import type { WorkflowState } from '../../../shared/contracts/rolling-update';
import { decideRollbackStep } from '../../../shared/usecases/decide-rollback-step';

const NOW = Date.parse('2026-03-02T02:00:00Z');

/** The execution state the rollback branch decides on: a native refresh `r1`, still in progress. */
const state = (error?: { Error: string; Cause?: string }): WorkflowState =>
  ({
    plan: { nativeRollback: true, previousVersion: '6', path: 'native' },
    refresh: { InstanceRefreshId: 'r1' },
    rollbackRefreshes: { refreshes: [{ InstanceRefreshId: 'r1', Status: 'InProgress' }] },
    window: { lock: { expiresAtMs: String(NOW + 3_600_000) } },
    ...(error ? { error } : {}),
  }) as unknown as WorkflowState;

describe('decideRollbackStep', () => {
  const decide = (s: WorkflowState) => decideRollbackStep({ clock: { nowMs: () => NOW } }, s);

  it('rolls an active refresh back after a failure of its own', async () => {
    expect(await decide(state({ Error: 'RefreshDeadlinePassed' }))).toMatchObject({
      action: 'roll-back',
      needsAttention: false,
    });
  });

  it('gives up on a rollback still running when the next look, a poll interval away, would pass its margin before the lock expires', async () => {
    const hourly = (expiresInMs: number) =>
      ({
        ...state({ Error: 'RefreshDeadlinePassed' }),
        rollbackRefreshes: { refreshes: [{ InstanceRefreshId: 'r1', Status: 'RollbackInProgress' }] },
        window: { pollIntervalSeconds: 3600, lock: { expiresAtMs: String(NOW + expiresInMs) } },
      }) as unknown as WorkflowState;
    // Waiting an hour from 45 minutes before the expiry would look again 15 minutes after it.
    // Still rolling back: no restore under it.
    expect(await decide(hourly(45 * 60_000))).toMatchObject({ action: 'hold', needsAttention: true });
    expect((await decide(hourly(45 * 60_000))).reason).toContain('gave up waiting');
    expect(await decide(hourly(2 * 3_600_000 + 60_000))).toMatchObject({ action: 'wait' });
  });

  it('holds at once when the roll-back was refused permission, and asks again after any other refusal', async () => {
    const refused = (rollbackError: { Error: string; Cause: string }) =>
      decide({ ...state({ Error: 'AlarmTriggered' }), rollbackError } as WorkflowState);
    const denied = await refused({
      Error: 'AutoScaling.AutoScalingException',
      Cause:
        'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: autoscaling:RollbackInstanceRefresh (Service: AutoScaling, Status Code: 403, Error Code: AccessDenied)',
    });
    expect(denied).toMatchObject({ action: 'hold', needsAttention: true });
    expect(denied.reason).toContain(
      'rollback or cancel refused permission (AutoScaling.AutoScalingException: User:',
    );
    expect(
      await refused({
        Error: 'AutoScaling.AutoScalingException',
        Cause: 'An instance refresh rollback is already in progress.',
      }),
    ).toMatchObject({ action: 'roll-back' });
  });

  it('undoes nothing once someone suspended the processes the refresh needs, and asks for attention', async () => {
    expect(await decide(state({ Error: 'ProcessesSuspended', Cause: 'Launch suspended' }))).toEqual({
      action: 'leave',
      reason:
        'processes the refresh needs were suspended during it; the refresh is left as it is to whoever did, to resume or undo',
      needsAttention: true,
    });
  });

  it('points a fallback group back when it was pointed at the target and no refresh started, then is done', async () => {
    const fallback = {
      plan: { nativeRollback: false, previousVersion: '6', path: 'fallback' },
      rollbackRefreshes: { refreshes: [{ InstanceRefreshId: 'operators', Status: 'InProgress' }] },
      window: { lock: { expiresAtMs: String(NOW + 3_600_000) } },
      error: { Error: 'AutoScaling.InstanceRefreshInProgressException' },
      pointedAtTarget: { pointed: true },
    } as unknown as WorkflowState;
    expect(await decide(fallback)).toMatchObject({ action: 'point-back', needsAttention: false });
    expect(await decide({ ...fallback, pointedBack: { pointed: true } })).toMatchObject({
      action: 'done',
      reason: 'no instance refresh had started; the group points at version 6 again',
    });
    const { pointedAtTarget: _, ...notPointed } = fallback;
    expect(await decide(notPointed as WorkflowState)).toMatchObject({
      action: 'done',
      reason: 'no instance refresh had started; nothing to undo',
    });
  });

  it("adopts the refresh its failed start created: started in the lock's second or later, with its configuration", async () => {
    const lockedAtMs = NOW - 60_400;
    const mine = {
      InstanceRefreshId: 'r2',
      Status: 'Pending',
      // Reported to the second: before the lock's millisecond, in its second.
      StartTime: new Date(NOW - 61_000).toISOString(),
      DesiredConfiguration: {
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1', Version: '7' } },
        },
      },
      Preferences: { MinHealthyPercentage: 90, InstanceWarmup: 300 },
    };
    const conflict = {
      plan: {
        nativeRollback: true,
        previousVersion: '6',
        targetVersion: '7',
        path: 'native',
        desiredConfiguration: mine.DesiredConfiguration,
        preferences: { MinHealthyPercentage: 90, InstanceWarmup: 300 },
      },
      rollbackRefreshes: { refreshes: [mine] },
      window: { lock: { acquiredAtMs: String(lockedAtMs), expiresAtMs: String(NOW + 3_600_000) } },
      error: { Error: 'AutoScaling.InstanceRefreshInProgressException' },
    } as unknown as WorkflowState;
    expect(await decide(conflict)).toMatchObject({ action: 'adopt', refreshId: 'r2', needsAttention: false });
    // Any other error before a refresh is known is not a start that met its own refresh.
    expect(await decide({ ...conflict, error: { Error: 'States.Timeout' } })).toMatchObject({
      action: 'done',
    });
    const earlier = { ...mine, StartTime: new Date(NOW - 62_000).toISOString() };
    expect(
      await decide({ ...conflict, rollbackRefreshes: { refreshes: [earlier] } } as unknown as WorkflowState),
    ).toMatchObject({ action: 'done', reason: 'no instance refresh had started; nothing to undo' });
  });
});
