import { publishGroupRunMetrics } from '../../../functions/scale-groups/publish-group-run-metrics';
import type { Observability } from '../../../shared/aws/powertools';
import type { GroupRunResult } from '../../../shared/usecases/scale-groups';
import { ranGroupRun } from '../../fixtures/group-run-result';

function fakeObservability() {
  // A fresh single metric per call, as Powertools makes one: each publishes on its first metric.
  const singles: { addDimension: jest.Mock; addMetric: jest.Mock }[] = [];
  const singleMetric = jest.fn(() => {
    const single = { addDimension: jest.fn(), addMetric: jest.fn() };
    singles.push(single);
    return single;
  });
  const metrics = { addMetric: jest.fn(), singleMetric };
  const logger = { info: jest.fn(), error: jest.fn(), warn: jest.fn() };
  return {
    observability: { metrics, logger, tracer: {} } as unknown as Observability,
    metrics,
    singles,
    logger,
  };
}

const ran = ranGroupRun({ demandAboveMax: true });

describe('publishGroupRunMetrics', () => {
  it('keeps per-group values in the log line by default, with fleet metrics only', () => {
    const { observability, metrics, logger } = fakeObservability();
    publishGroupRunMetrics(observability, ran, 'logs');
    expect(metrics.singleMetric).not.toHaveBeenCalled();
    expect(metrics.addMetric).toHaveBeenCalledWith('ForecastRelativeError', 'Percent', 10);
    expect(metrics.addMetric).toHaveBeenCalledWith('DemandAboveMaxSize', 'Count', 1);
    // A run that fits MaxSize counts zero: the one-interval alarm must see the interval that clears it.
    const fits = fakeObservability();
    publishGroupRunMetrics(fits.observability, ranGroupRun(), 'logs');
    expect(fits.metrics.addMetric).toHaveBeenCalledWith('DemandAboveMaxSize', 'Count', 0);
    expect(logger.info).toHaveBeenCalledWith(
      'group run',
      expect.objectContaining({ groupName: 'web', forecastPlannedNow: 120, plannedCapacity: 3 }),
    );
  });

  it('counts failed launches in the fleet metric and warns with the group and the newest reason', () => {
    const { observability, metrics, logger } = fakeObservability();
    const launchFailures = { count: 3, newestReason: 'InsufficientInstanceCapacity - no m5.large' };
    publishGroupRunMetrics(observability, { ...ran, launchFailures }, 'logs');
    expect(metrics.addMetric).toHaveBeenCalledWith('LaunchFailures', 'Count', 3);
    expect(logger.warn).toHaveBeenCalledWith('launches failing', { groupName: 'web', ...launchFailures });
    expect(logger.info).toHaveBeenCalledWith('group run', expect.objectContaining({ launchFailures }));
    // A run with none counts zero: the alarm judges intervals running, so each needs a datapoint.
    const quiet = fakeObservability();
    publishGroupRunMetrics(quiet.observability, ran, 'logs');
    expect(quiet.metrics.addMetric).toHaveBeenCalledWith('LaunchFailures', 'Count', 0);
  });

  it('warns of a run whose claim was not marked done, counting no failure or throttle', () => {
    const { observability, metrics, logger } = fakeObservability();
    const claimNotCompleted = 'TransientDependencyError: DynamoDB UpdateItem failed transiently; retry later';
    publishGroupRunMetrics(observability, { ...ran, claimNotCompleted }, 'logs');
    expect(logger.warn).toHaveBeenCalledWith('run claim not marked done', {
      groupName: 'web',
      error: claimNotCompleted,
    });
    expect(metrics.addMetric).toHaveBeenCalledWith('GroupRunFailed', 'Count', 0);
    expect(metrics.addMetric).toHaveBeenCalledWith('Throttled', 'Count', 0);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('says in the log line when the group’s forecast floor was stood down, and why', () => {
    const { observability, logger } = fakeObservability();
    const floorCheck = { judgedAtMs: 1, standsDown: true, reason: 'the floor: 9 short of 288 steps' };
    publishGroupRunMetrics(observability, { ...ran, floorCheck }, 'logs');
    expect(logger.info).toHaveBeenCalledWith('group run', expect.objectContaining({ floorCheck }));
  });

  it('logs each learned load ratio with its r² and whether it propagated', () => {
    const { observability, logger } = fakeObservability();
    const learnedLoadRatios = [
      { groupName: 'front', slope: 0.5, rSquared: 0.97, samples: 288, propagated: true },
      {
        groupName: 'batch',
        slope: 0.07,
        rSquared: 0.0008,
        samples: 288,
        propagated: false,
        reason: 'learned load ratio 0.0700 with r² 0.000800 below 0.25: the fit is poor',
      },
    ];
    publishGroupRunMetrics(observability, { ...ran, learnedLoadRatios }, 'logs');
    expect(logger.info).toHaveBeenCalledWith('group run', expect.objectContaining({ learnedLoadRatios }));
  });

  it('emits each per-group value as its own single metric with the GroupName dimension when asked', () => {
    const { observability, singles } = fakeObservability();
    publishGroupRunMetrics(observability, { ...ran, actualLoad: undefined }, 'metrics');
    expect(singles.map((single) => single.addMetric.mock.calls)).toEqual([
      [['ForecastP50', 'Count', 100]],
      [['ForecastPlanned', 'Count', 120]],
      [['PlannedCapacity', 'Count', 3]],
      [['ActualCapacity', 'Count', 3]],
      [['ForecastAbsError', 'Count', 11]],
    ]);
    for (const single of singles) expect(single.addDimension.mock.calls).toEqual([['GroupName', 'web']]);
  });

  it.each([
    [
      'short',
      {
        kind: 'scheduled',
        written: 2,
        removed: 0,
        kept: 20,
        coveredUntilMs: 1,
        coveredHours: 10,
        short: true,
        limits: [],
      },
      1,
    ],
    [
      'full',
      {
        kind: 'scheduled',
        written: 2,
        removed: 0,
        kept: 20,
        coveredUntilMs: 1,
        coveredHours: 24,
        short: false,
        limits: [],
      },
      0,
    ],
    ['not written', { kind: 'failed', error: new Error('denied') }, 1],
    ['cleared by a hold', { kind: 'cleared', removed: 3, reason: 'paused' }, 0],
  ] as const)(
    'counts a %s look-ahead in LookAheadShort only when it leaves less plan than configured (zero otherwise)',
    (_name, lookAhead, count) => {
      const { observability, metrics } = fakeObservability();
      publishGroupRunMetrics(observability, { ...ran, lookAhead } as GroupRunResult, 'logs');
      const calls = metrics.addMetric.mock.calls.filter(([name]) => name === 'LookAheadShort');
      expect(calls).toEqual([['LookAheadShort', 'Count', count]]);
    },
  );

  it.each(['café', 'web\tblue', '   '])(
    'emits no per-group metric for a group named %j, which CloudWatch refuses as a dimension value, and says so',
    (groupName) => {
      const { observability, metrics, logger } = fakeObservability();
      publishGroupRunMetrics(observability, { ...ran, groupName }, 'metrics');
      expect(metrics.singleMetric).not.toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledWith(
        'group metrics not emitted',
        expect.objectContaining({ groupName }),
      );
      expect(metrics.addMetric).toHaveBeenCalledWith('GroupRuns', 'Count', 1);
      expect(logger.info).toHaveBeenCalledWith('group run', expect.objectContaining({ groupName }));
    },
  );

  it('emits the per-group metrics of any printable ASCII group name', () => {
    const { observability, singles } = fakeObservability();
    publishGroupRunMetrics(observability, { ...ran, groupName: 'web blue_1.(prod)@eu' }, 'metrics');
    expect(singles.length).toBeGreaterThan(3);
    for (const single of singles)
      expect(single.addDimension).toHaveBeenCalledWith('GroupName', 'web blue_1.(prod)@eu');
  });

  it('counts a run on a stale load history and warns with the group, the age and the likely cause', () => {
    const { observability, metrics, logger } = fakeObservability();
    const staleHistory = {
      newestStepEndMs: Date.UTC(2026, 2, 2, 6),
      ageMinutes: 360,
      reason: 'group metrics collection is off on web',
    };
    publishGroupRunMetrics(observability, ranGroupRun({ staleHistory }), 'logs');
    expect(metrics.addMetric).toHaveBeenCalledWith('StaleHistory', 'Count', 1);
    expect(logger.warn).toHaveBeenCalledWith('load history stale', {
      groupName: 'web',
      newestStepEnd: '2026-03-02T06:00:00.000Z',
      ageMinutes: 360,
      reason: 'group metrics collection is off on web',
    });
  });

  it('warns of the upstream groups a run left out of its forecast, naming them and why', () => {
    const { observability, logger } = fakeObservability();
    const upstreamsLeftOut = { groupNames: ['svc-000', 'svc-001'], reason: 'past the cap' };
    publishGroupRunMetrics(observability, ranGroupRun({ upstreamsLeftOut }), 'logs');
    expect(logger.warn).toHaveBeenCalledWith('upstream groups left out', {
      groupName: 'web',
      count: 2,
      groupNames: ['svc-000', 'svc-001'],
      reason: 'past the cap',
    });
  });

  it('counts a failure and a throttle', () => {
    const { observability, metrics } = fakeObservability();
    const error = Object.assign(new Error('slow down'), { name: 'TransientDependencyError' });
    publishGroupRunMetrics(observability, { kind: 'failed', groupName: 'web', tickMs: 0, error }, 'logs');
    expect(metrics.addMetric).toHaveBeenCalledWith('GroupRunFailed', 'Count', 1);
    expect(metrics.addMetric).toHaveBeenCalledWith('Throttled', 'Count', 1);
  });

  it('counts as throttled only a run that failed on a transient AWS error, not every failed run', () => {
    const { observability, metrics } = fakeObservability();
    const error = Object.assign(new Error('not authorized'), { name: 'RejectedRequestError' });
    publishGroupRunMetrics(observability, { kind: 'failed', groupName: 'web', tickMs: 0, error }, 'logs');
    expect(metrics.addMetric).toHaveBeenCalledWith('GroupRunFailed', 'Count', 1);
    expect(metrics.addMetric).toHaveBeenCalledWith('Throttled', 'Count', 0);
  });

  it('counts zero failures, throttles, failed launches and short look-aheads for a run without any', () => {
    const { observability, metrics } = fakeObservability();
    publishGroupRunMetrics(observability, ranGroupRun(), 'logs');
    const health = [
      'GroupRunFailed',
      'Throttled',
      'LaunchFailures',
      'LookAheadShort',
      'StaleHistory',
      'NoHistory',
    ];
    expect(metrics.addMetric.mock.calls.filter(([name]) => health.includes(name))).toEqual(
      health.map((name) => [name, 'Count', 0]),
    );
  });

  it.each([
    ['a group without load history', { kind: 'no-history', groupName: 'web', reason: 'collection off' }, 1],
    ['a run', ranGroupRun(), 0],
    ['a failed run', { kind: 'failed', groupName: 'web', tickMs: 0, error: new Error('boom') }, 0],
    ['a duplicate', { kind: 'duplicate', groupName: 'web' }, 0],
  ] as const)('counts %s in NoHistory as %d, on every run', (_name, result, count) => {
    const { observability, metrics } = fakeObservability();
    publishGroupRunMetrics(observability, result as GroupRunResult, 'logs');
    const calls = metrics.addMetric.mock.calls.filter(([name]) => name === 'NoHistory');
    expect(calls).toEqual([['NoHistory', 'Count', count]]);
  });

  it('says in the failure’s log line that a held group’s look-ahead was deleted all the same', () => {
    const { observability, logger } = fakeObservability();
    const lookAhead = {
      kind: 'cleared' as const,
      removed: 3,
      reason: 'group is paused by tag (value "true")',
    };
    const error = new Error('forecast failed');
    publishGroupRunMetrics(
      observability,
      { kind: 'failed', groupName: 'web', tickMs: 0, error, lookAhead },
      'logs',
    );
    expect(logger.error).toHaveBeenCalledWith('group run failed', { groupName: 'web', error, lookAhead });
  });
});
