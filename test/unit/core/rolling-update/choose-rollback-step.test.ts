import {
  chooseRollbackStep,
  type RollbackInput,
} from '../../../../shared/core/rolling-update/choose-rollback-step';

const base: RollbackInput = {
  nativeRollback: true,
  forwardRefreshId: 'r1',
  refreshes: [{ id: 'r1', status: 'InProgress' }],
  previousVersion: '6',
  nowMs: 1000,
  giveUpAtMs: 5000,
};

describe('chooseRollbackStep', () => {
  it.each([
    ['nothing started', { forwardRefreshId: undefined }, 'done', false],
    [
      'nothing started, refused permission: a person must fix the deployment',
      { forwardRefreshId: undefined, refusedPermission: true },
      'done',
      true,
    ],
    [
      'refused permission on a group pointed at the target: point it back first',
      {
        forwardRefreshId: undefined,
        nativeRollback: false,
        groupPointedAtTarget: true,
        refusedPermission: true,
        refreshes: [],
      },
      'point-back',
      false,
    ],
    [
      'refused permission, the group pointed back',
      {
        forwardRefreshId: undefined,
        nativeRollback: false,
        groupPointedAtTarget: true,
        groupPointedBack: true,
        refusedPermission: true,
        refreshes: [],
      },
      'done',
      true,
    ],
    [
      'a start that failed after it took effect: watch its refresh',
      { forwardRefreshId: undefined, startedUnseen: 'r2', refreshes: [{ id: 'r2', status: 'Pending' }] },
      'adopt',
      false,
    ],
    [
      'no refresh started on a group pointed at the target (fallback): point it back',
      { forwardRefreshId: undefined, nativeRollback: false, groupPointedAtTarget: true, refreshes: [] },
      'point-back',
      false,
    ],
    [
      'no refresh started, the group pointed back already',
      {
        forwardRefreshId: undefined,
        nativeRollback: false,
        groupPointedAtTarget: true,
        groupPointedBack: true,
      },
      'done',
      false,
    ],
    [
      'no refresh started on a pointed group whose previous version is unknown',
      { forwardRefreshId: undefined, groupPointedAtTarget: true, previousVersion: undefined },
      'done',
      true,
    ],
    ['native rollback of an active refresh', {}, 'roll-back', false],
    ['nothing undone once left to an operator', { leftToOperator: 'processes suspended' }, 'leave', true],
    [
      'nothing undone once left to an operator, without native rollback',
      { leftToOperator: 'processes suspended', nativeRollback: false },
      'leave',
      true,
    ],
    ['cancel without native rollback', { nativeRollback: false }, 'cancel', false],
    ['wait while rolling back', { refreshes: [{ id: 'r1', status: 'RollbackInProgress' }] }, 'wait', false],
    ['done after a rollback', { refreshes: [{ id: 'r1', status: 'RollbackSuccessful' }] }, 'done', false],
    ['revert a failed refresh', { refreshes: [{ id: 'r1', status: 'Failed' }] }, 'revert', false],
    ['revert a cancelled refresh', { refreshes: [{ id: 'r1', status: 'Cancelled' }] }, 'revert', false],
    [
      'no revert of a refresh to the version the group ran',
      { refreshes: [{ id: 'r1', status: 'Cancelled' }], sameVersion: true },
      'done',
      false,
    ],
    [
      'revert after a failed rollback',
      { refreshes: [{ id: 'r1', status: 'RollbackFailed' }] },
      'revert',
      false,
    ],
    [
      'no revert without a previous version',
      { refreshes: [{ id: 'r1', status: 'Failed' }], previousVersion: undefined },
      'done',
      true,
    ],
    ['keep a refresh that succeeded', { refreshes: [{ id: 'r1', status: 'Successful' }] }, 'keep', true],
    [
      'wait for the revert',
      {
        revertRefreshId: 'r2',
        refreshes: [
          { id: 'r2', status: 'InProgress' },
          { id: 'r1', status: 'Cancelled' },
        ],
      },
      'wait',
      false,
    ],
    [
      'done after the revert',
      {
        revertRefreshId: 'r2',
        refreshes: [
          { id: 'r2', status: 'Successful' },
          { id: 'r1', status: 'Cancelled' },
        ],
      },
      'done',
      false,
    ],
    [
      'give up waiting at last, holding capacity under the cancel still running',
      { refreshes: [{ id: 'r1', status: 'Cancelling' }], nowMs: 6000 },
      'hold',
      true,
    ],
    [
      'give up waiting at last, holding capacity under the rollback still running',
      { refreshes: [{ id: 'r1', status: 'RollbackInProgress' }], nowMs: 6000 },
      'hold',
      true,
    ],
    [
      'give up on an active refresh whose rollback Auto Scaling keeps refusing, holding capacity',
      { refreshes: [{ id: 'r1', status: 'InProgress' }], nowMs: 6000 },
      'hold',
      true,
    ],
    [
      'give up on a pending refresh whose cancel Auto Scaling keeps refusing, holding capacity',
      { refreshes: [{ id: 'r1', status: 'Pending' }], nativeRollback: false, nowMs: 6000 },
      'hold',
      true,
    ],
    ['ignore someone else’s refresh', { refreshes: [{ id: 'other', status: 'InProgress' }] }, 'done', true],
    [
      'a revert start that failed after it took effect: watch its revert',
      {
        revertStartConflict: true,
        revertStartedUnseen: 'r2',
        refreshes: [
          { id: 'r2', status: 'Pending' },
          { id: 'r1', status: 'Cancelled' },
        ],
      },
      'adopt-revert',
      false,
    ],
    [
      "a revert start that met someone else's refresh: wait for it, no restore under it",
      {
        revertStartConflict: true,
        refreshes: [
          { id: 'other', status: 'InProgress' },
          { id: 'r1', status: 'Cancelled' },
        ],
      },
      'wait',
      false,
    ],
    [
      "a revert start that met someone else's refresh, still running past the give-up: hold capacity",
      {
        revertStartConflict: true,
        nowMs: 6000,
        refreshes: [
          { id: 'other', status: 'InProgress' },
          { id: 'r1', status: 'Cancelled' },
        ],
      },
      'hold',
      true,
    ],
    [
      "a revert start that met someone else's refresh, ended since: no revert over it",
      {
        revertStartConflict: true,
        refreshes: [
          { id: 'other', status: 'Successful' },
          { id: 'r1', status: 'Cancelled' },
        ],
      },
      'done',
      true,
    ],
  ] as const)('%s', (_name, change, action, needsAttention) => {
    const step = chooseRollbackStep({ ...base, ...change } as RollbackInput);
    expect(step).toMatchObject({ action, needsAttention });
  });

  it('adopts the revert its failed start created as the refresh to watch', () => {
    const step = chooseRollbackStep({
      ...base,
      revertStartConflict: true,
      revertStartedUnseen: 'r2',
      refreshes: [
        { id: 'r2', status: 'InProgress' },
        { id: 'r1', status: 'Failed' },
      ],
    });
    expect(step).toMatchObject({ action: 'adopt-revert', refreshId: 'r2' });
  });

  it('says why it gave up on a refresh still active past the give-up', () => {
    const step = chooseRollbackStep({ ...base, refreshes: [{ id: 'r1', status: 'Baking' }], nowMs: 6000 });
    expect(step.reason).toBe(
      'gave up: refresh Baking still active at 1970-01-01T00:00:05.000Z, rollback not accepted',
    );
  });

  it('names the last refusal of the rollback when it gives up on a refresh still active', () => {
    const step = chooseRollbackStep({
      ...base,
      nowMs: 6000,
      undoRefusal: 'AutoScaling.AutoScalingException: User is not authorized',
    });
    expect(step.reason).toBe(
      'gave up: refresh InProgress still active at 1970-01-01T00:00:05.000Z, rollback not accepted (last: AutoScaling.AutoScalingException: User is not authorized)',
    );
  });

  const denied =
    'AutoScaling.AutoScalingException: User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: autoscaling:RollbackInstanceRefresh';

  it.each([
    ['rollback', { nativeRollback: true }],
    ['cancel', { nativeRollback: false }],
  ] as const)(
    'holds at once, before the give-up, when the %s was refused permission, naming the refusal',
    (_undo, change) => {
      const step = chooseRollbackStep({
        ...base,
        ...change,
        undoRefusal: denied,
        undoRefusedPermission: true,
      });
      expect(step).toEqual({
        action: 'hold',
        reason: `gave up: refresh InProgress still active, its rollback or cancel refused permission (${denied}): asked again, it is refused again until the deployment's IAM (or an SCP) allows it`,
        needsAttention: true,
      });
    },
  );

  it('asks again before the give-up after a refusal that is not about permission', () => {
    const step = chooseRollbackStep({
      ...base,
      undoRefusal: 'AutoScaling.AutoScalingException: ValidationError: a rollback is already in progress',
    });
    expect(step.action).toBe('roll-back');
  });

  it('waits on a rollback Auto Scaling runs on its own although its own roll-back was refused permission', () => {
    const step = chooseRollbackStep({
      ...base,
      refreshes: [{ id: 'r1', status: 'RollbackInProgress' }],
      undoRefusal: denied,
      undoRefusedPermission: true,
    });
    expect(step.action).toBe('wait');
  });

  // Auto Scaling has added statuses before (Baking): one this code does not know is not acted on.
  const unknown = [{ id: 'r1', status: 'Paused' as RollbackInput['refreshes'][number]['status'] }];

  it('waits on a forward refresh in a status it does not know, acting on nothing', () => {
    expect(chooseRollbackStep({ ...base, refreshes: unknown })).toEqual({
      action: 'wait',
      reason: 'refresh in status Paused, which Prescale does not know: waiting for one it does',
      needsAttention: false,
    });
  });

  it('hands a refresh in a status it does not know over to operators past the give-up', () => {
    expect(chooseRollbackStep({ ...base, refreshes: unknown, nowMs: 6000 })).toEqual({
      action: 'done',
      reason:
        'gave up waiting: refresh in status Paused, which Prescale does not know: waiting for one it does at 1970-01-01T00:00:05.000Z',
      needsAttention: true,
    });
  });

  it('waits on a revert refresh in a status it does not know', () => {
    const revert = {
      revertRefreshId: 'r2',
      refreshes: [
        { id: 'r1', status: 'Failed' as const },
        { ...unknown[0], id: 'r2' },
      ],
    };
    expect(chooseRollbackStep({ ...base, ...revert } as RollbackInput)).toMatchObject({
      action: 'wait',
      needsAttention: false,
    });
  });
});
