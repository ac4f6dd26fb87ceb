import {
  assessRefreshProgress,
  type ProgressInput,
} from '../../../../shared/core/rolling-update/assess-refresh-progress';

const base: ProgressInput = {
  status: 'InProgress',
  percentageComplete: 40,
  alarmsInAlarm: [],
  nowMs: 1000,
  refreshDeadlineMs: 2000,
  actualLoad: 120,
  current: { minSize: 4, maxSize: 10, desiredCapacity: 4 },
  minHealthyPercentage: 90,
  targetLoadPerInstance: 60,
};

describe('assessRefreshProgress', () => {
  it.each([
    [{ status: 'Successful' }, 'succeeded', undefined],
    [{ status: 'Failed', statusReason: 'bad AMI' }, 'problem', 'RefreshFailed'],
    [{ status: 'Cancelled' }, 'problem', 'RefreshCancelled'],
    [{ status: 'RollbackInProgress' }, 'problem', 'RefreshRolledBack'],
    [{ status: undefined }, 'problem', 'RefreshNotFound'],
    [{ alarmsInAlarm: ['web-5xx'] }, 'problem', 'AlarmTriggered'],
    [{ nowMs: 3000 }, 'problem', 'RefreshDeadlinePassed'],
    [{ suspendedProcesses: ['AZRebalance', 'Terminate'] }, 'problem', 'ProcessesSuspended'],
    [
      { suspendedProcesses: ['InstanceRefresh'], alarmsInAlarm: ['web-5xx'] },
      'problem',
      'ProcessesSuspended',
    ],
    [{ suspendedProcesses: ['AZRebalance', 'ScheduledActions'] }, 'in-progress', undefined],
    [{ suspendedProcesses: ['Launch'], status: 'Successful' }, 'succeeded', undefined],
    [{ actualLoad: 300 }, 'needs-headroom', undefined],
    [{ actualLoad: 300, current: { minSize: 4, maxSize: 4, desiredCapacity: 4 } }, 'in-progress', undefined],
    [{}, 'in-progress', undefined],
  ] as const)('%j → %s %s', (change, verdict, error) => {
    const result = assessRefreshProgress({ ...base, ...change } as ProgressInput);
    expect(result.verdict).toBe(verdict);
    if (error) expect(result).toMatchObject({ error: { Error: error } });
  });

  it('names a status it does not know as such, not as a rollback', () => {
    const result = assessRefreshProgress({ ...base, status: 'Paused' as ProgressInput['status'] });
    expect(result).toEqual({
      verdict: 'problem',
      reason: 'Auto Scaling reports the refresh as Paused, a status Prescale does not know',
      error: {
        Error: 'RefreshStatusUnknown',
        Cause: 'Auto Scaling reports the refresh as Paused, a status Prescale does not know',
      },
    });
  });

  it('says which processes someone suspended during the refresh', () => {
    expect(
      assessRefreshProgress({ ...base, suspendedProcesses: ['Launch', 'HealthCheck', 'Terminate'] }),
    ).toEqual({
      verdict: 'problem',
      reason: expect.any(String),
      error: {
        Error: 'ProcessesSuspended',
        Cause:
          'Launch, Terminate suspended on the group during the refresh (InProgress at 40%): it replaces no instance until resumed',
      },
    });
  });

  it('raises desired so the healthy part carries the observed load', () => {
    expect(assessRefreshProgress({ ...base, actualLoad: 300 })).toMatchObject({
      raiseTo: { minSize: 6, desiredCapacity: 6 },
    });
  });
});
