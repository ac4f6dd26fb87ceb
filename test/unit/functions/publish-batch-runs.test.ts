import { publishBatchRuns } from '../../../functions/scale-groups/publish-batch-runs';
import type { Observability } from '../../../shared/aws/powertools';
import { TransientDependencyError } from '../../../shared/ports/errors';
import { ranGroupRun } from '../../fixtures/group-run-result';

function fakeObservability() {
  const metrics = { addMetric: jest.fn(), singleMetric: jest.fn() };
  const logger = { info: jest.fn(), error: jest.fn(), warn: jest.fn() };
  return { observability: { metrics, logger, tracer: {} } as unknown as Observability, metrics, logger };
}

const items = [
  { groupName: 'web', tickMs: 1_000 },
  { groupName: 'api', tickMs: 1_000 },
];

/** The sum of each named count the runs added. */
function counted(metrics: { addMetric: jest.Mock }, names: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      metrics.addMetric.mock.calls
        .filter(([n]) => n === name)
        .reduce((sum, [, , value]) => sum + (value as number), 0),
    ]),
  );
}

describe('publishBatchRuns', () => {
  it('publishes each group run of the batch and returns the results', async () => {
    const { observability, metrics } = fakeObservability();
    const results = [ranGroupRun({ groupName: 'web' }), ranGroupRun({ groupName: 'api' })];
    await expect(publishBatchRuns(observability, 'logs', items, async () => results)).resolves.toBe(results);
    expect(counted(metrics, ['GroupRuns', 'GroupRunFailed'])).toEqual({ GroupRuns: 2, GroupRunFailed: 0 });
  });

  it('counts every item of a batch that failed as a whole as a failed, throttled run, then throws its error', async () => {
    const { observability, metrics, logger } = fakeObservability();
    const error = new TransientDependencyError('CloudWatch', 'GetMetricData');
    await expect(publishBatchRuns(observability, 'logs', items, () => Promise.reject(error))).rejects.toBe(
      error,
    );
    expect(counted(metrics, ['GroupRuns', 'GroupRunFailed', 'Throttled'])).toEqual({
      GroupRuns: 2,
      GroupRunFailed: 2,
      Throttled: 2,
    });
    expect(logger.error.mock.calls).toEqual([
      ['group run failed', { groupName: 'web', error }],
      ['group run failed', { groupName: 'api', error }],
    ]);
  });

  it('counts a batch that failed on an error that is not transient as failed, not throttled', async () => {
    const { observability, metrics } = fakeObservability();
    await expect(
      publishBatchRuns(observability, 'logs', items, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(counted(metrics, ['GroupRunFailed', 'Throttled'])).toEqual({ GroupRunFailed: 2, Throttled: 0 });
  });
});
