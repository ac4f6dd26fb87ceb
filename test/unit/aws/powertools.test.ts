import { z } from 'zod';
import { createObservability, metricsLogger } from '../../../shared/aws/powertools';
import { withMiddleware } from '../../../shared/aws/with-middleware';
import { builtAt, lambdaContext, messagesAt, printedDuring } from '../../helpers/powertools-output';

/** A handler as the functions build them, under the given Powertools log level, metrics on. */
function handlerAt(logLevel: string, addMetric: boolean) {
  return builtAt(logLevel, () => {
    const observability = createObservability('test-role');
    return withMiddleware(
      z.object({ groupName: z.string() }),
      async (input) => {
        if (addMetric) observability.metrics.addMetric('GroupsScaled', 'Count', 1);
        return input.groupName;
      },
      observability,
    );
  });
}

describe('createObservability', () => {
  it('logs no warning for an invocation that adds no metric, and the notice at debug', async () => {
    const atInfo = await printedDuring(() => handlerAt('INFO', false)({ groupName: 'web' }, lambdaContext));
    expect(messagesAt(atInfo, 'WARN')).toEqual([]);
    const atDebug = await printedDuring(() => handlerAt('DEBUG', false)({ groupName: 'web' }, lambdaContext));
    expect(messagesAt(atDebug, 'DEBUG')).toContainEqual(
      expect.stringMatching(/^No application metrics to publish/),
    );
  });

  it("publishes an invocation's metrics as EMF and warns of nothing", async () => {
    const lines = await printedDuring(() => handlerAt('INFO', true)({ groupName: 'web' }, lambdaContext));
    const emf = lines.filter((line) => '_aws' in line);
    expect(emf.some((line) => line.GroupsScaled === 1)).toBe(true);
    expect(messagesAt(lines, 'WARN')).toEqual([]);
  });

  it("logs the metrics utility's other warnings as structured warnings with the function's context", async () => {
    const lines = await printedDuring(async () =>
      builtAt('INFO', () => createObservability('test-role').metrics.addDimension('', 'empty name')),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        functionRole: 'test-role',
        message: expect.stringMatching(/^The dimension {2}doesn't meet the requirements/),
      }),
    );
  });
});

describe('metricsLogger', () => {
  it('passes every level through, turning only the empty-metrics notice down to debug', () => {
    const calls: string[] = [];
    const record = (level: string) => (message: unknown) => calls.push(`${level}: ${String(message)}`);
    const logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    } as unknown as Parameters<typeof metricsLogger>[0];
    const wrapped = metricsLogger(logger);
    wrapped.debug('d');
    wrapped.info('i');
    wrapped.warn('No application metrics to publish. The cold-start metric may be published');
    wrapped.warn('Namespace should be defined, default used');
    wrapped.error('e', 2);
    expect(calls).toEqual([
      'debug: d',
      'info: i',
      'debug: No application metrics to publish. The cold-start metric may be published',
      'warn: Namespace should be defined, default used',
      'error: e 2',
    ]);
  });
});
