import { z } from 'zod';
import { createObservability } from '../../../../shared/aws/powertools';
import { withMiddleware } from '../../../../shared/aws/with-middleware';
import { metricsFromEmfEvent } from '../../../../shared/simulation/world/embedded-metric-format';
import { builtAt, lambdaContext, printedDuring } from '../../../helpers/powertools-output';

/** What the product's Powertools set-up prints for one invocation adding `StaleGroups` 2. */
async function printedEmf(): Promise<Record<string, unknown>[]> {
  const handler = builtAt('INFO', () => {
    const observability = createObservability('dispatch-scaling-run');
    return withMiddleware(
      z.object({}),
      async () => observability.metrics.addMetric('StaleGroups', 'Count', 2),
      observability,
    );
  });
  const lines = await printedDuring(() => handler({}, lambdaContext));
  return lines.filter((line) => '_aws' in line);
}

describe('metricsFromEmfEvent', () => {
  it('reads the metrics Powertools prints: namespace, dimension set, value and timestamp', async () => {
    const before = Date.now();
    const metrics = (await printedEmf()).flatMap(metricsFromEmfEvent);
    const stale = metrics.filter((m) => m.metricName === 'StaleGroups');
    expect(stale).toEqual([
      {
        namespace: 'Prescale',
        metricName: 'StaleGroups',
        dimensions: { service: 'prescale' },
        timestampMs: expect.any(Number),
        values: [2],
      },
    ]);
    expect(stale[0]?.timestampMs).toBeGreaterThanOrEqual(before);
  });

  const document = (overrides: Record<string, unknown> = {}, directive: Record<string, unknown> = {}) => ({
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'Prescale',
          Dimensions: [['service'], ['service', 'fn']],
          Metrics: [{ Name: 'Runs' }],
          ...directive,
        },
      ],
    },
    service: 'prescale',
    fn: 'worker',
    Runs: [1, 2],
    ...overrides,
  });

  it('gives one metric per dimension set, values of an array member included', () => {
    expect(metricsFromEmfEvent(document()).map((m) => [m.dimensions, m.values])).toEqual([
      [{ service: 'prescale' }, [1, 2]],
      [{ service: 'prescale', fn: 'worker' }, [1, 2]],
    ]);
  });

  it.each([
    ['no Timestamp', { _aws: { CloudWatchMetrics: [] } }, {}, /_aws.Timestamp must be a number/],
    ['a metric without its member', { Runs: undefined }, {}, /Runs must be a number or an array of numbers/],
    ['a string value', { Runs: '3' }, {}, /Runs must be a number/],
    ['a dimension without its member', { fn: undefined }, {}, /fn must be a string/],
    ['a numeric dimension value', { fn: 7 }, {}, /fn must be a string/],
    ['no Dimensions', {}, { Dimensions: undefined }, /Dimensions must be an array/],
    ['an empty Namespace', {}, { Namespace: '' }, /Namespace must be a non-empty string/],
  ])('refuses a document with %s, naming the field', (_, overrides, directive, message) => {
    expect(() => metricsFromEmfEvent(document(overrides, directive))).toThrow(message);
  });
});
