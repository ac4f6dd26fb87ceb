import {
  groupDeleted,
  refreshLeftRunning,
  rolledOut,
} from '../../../../shared/core/update-plan/child-outcome';
import { type ChildOutcome, REFRESH_LEFT_RUNNING } from '../../../../shared/core/update-plan/types';

const child = (detail: Partial<ChildOutcome>): ChildOutcome => ({
  groupName: 'web',
  label: 'Slot 1: update web',
  childName: 'plan-x-update-s1-web',
  slotIndex: 0,
  status: 'Failed',
  ...detail,
});

/** A child that ended "Left running, capacity held", as `startExecution.sync` reports it. */
const leftRunning = child({
  error: 'States.TaskFailed',
  detail: JSON.stringify({
    status: 'FAILED',
    error: REFRESH_LEFT_RUNNING,
    cause:
      'AlarmTriggered: web-5xx in ALARM Left running: gave up: refresh InProgress still active, rollback not accepted; capacity was NOT restored',
  }),
});

describe('refreshLeftRunning', () => {
  it('knows a child that ended with a refresh still running under it, by its Error or inside its Cause', () => {
    expect(refreshLeftRunning(leftRunning)).toBe(true);
    expect(refreshLeftRunning(child({ error: REFRESH_LEFT_RUNNING }))).toBe(true);
  });

  it('counts it neither rolled out (updated, undone) nor deleted: it needs attention', () => {
    expect(rolledOut(leftRunning)).toBe(false);
    expect(groupDeleted(leftRunning)).toBe(false);
  });

  it('does not take a rollback or a success for one', () => {
    const rolledBack = child({
      error: 'States.TaskFailed',
      detail: JSON.stringify({ status: 'FAILED', error: 'RefreshFailed', cause: 'launch failed' }),
    });
    expect(refreshLeftRunning(rolledBack)).toBe(false);
    expect(refreshLeftRunning(child({ status: 'Succeeded' }))).toBe(false);
  });
});
