import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { createObservability, metricsLogger } from '../../../shared/aws/powertools';
import { withMiddleware } from '../../../shared/aws/with-middleware';

const context = {
  functionName: 'prescale-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:prescale-test',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  logGroupName: '/aws/lambda/prescale-test',
  logStreamName: '2026/12/03/[$LATEST]abc',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

/** Every line the Powertools logger and metrics print while `run` runs, parsed. */
async function printedDuring(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown): boolean => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A handler as the functions build them, under the given Powertools log level, metrics on. */
function handlerAt(logLevel: string, addMetric: boolean) {
  const saved = { ...process.env };
  process.env.POWERTOOLS_LOG_LEVEL = logLevel;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    const observability = createObservability('test-role');
    return withMiddleware(
      z.object({ groupName: z.string() }),
      async (input) => {
        if (addMetric) observability.metrics.addMetric('GroupsScaled', 'Count', 1);
        return input.groupName;
      },
      observability,
    );
  } finally {
    process.env = saved;
  }
}

const messages = (lines: Record<string, unknown>[], level: string) =>
  lines.filter((line) => line.level === level).map((line) => String(line.message));

describe('createObservability', () => {
  it('logs no warning for an invocation that adds no metric, and the notice at debug', async () => {
    const atInfo = await printedDuring(() => handlerAt('INFO', false)({ groupName: 'web' }, context));
    expect(messages(atInfo, 'WARN')).toEqual([]);
    const atDebug = await printedDuring(() => handlerAt('DEBUG', false)({ groupName: 'web' }, context));
    expect(messages(atDebug, 'DEBUG')).toContainEqual(
      expect.stringMatching(/^No application metrics to publish/),
    );
  });

  it("publishes an invocation's metrics as EMF and warns of nothing", async () => {
    const lines = await printedDuring(() => handlerAt('INFO', true)({ groupName: 'web' }, context));
    const emf = lines.filter((line) => '_aws' in line);
    expect(emf.some((line) => line.GroupsScaled === 1)).toBe(true);
    expect(messages(lines, 'WARN')).toEqual([]);
  });

  it("logs the metrics utility's other warnings as structured warnings with the function's context", async () => {
    const lines = await printedDuring(async () => {
      const saved = { ...process.env };
      process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
      try {
        const observability = createObservability('test-role');
        observability.metrics.addDimension('', 'empty name');
      } finally {
        process.env = saved;
      }
    });
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
