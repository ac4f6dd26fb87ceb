import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { parseConfig } from '../contracts/parse-config';
import type { Observability } from './powertools';

/**
 * Wraps a plain `async (input) => output` in Prescale's standard middleware stack: Powertools
 * logger context, tracing, metrics flush, input validation by a contract schema, and error logging.
 * An invalid event throws `InvalidConfigError` (named, so Step Functions and DLQ redrives can tell).
 */
export function withMiddleware<S extends z.ZodType, R>(
  schema: S,
  handler: (input: z.output<S>, context: Context) => Promise<R>,
  observability: Observability,
) {
  const { logger, metrics, tracer } = observability;
  return middy(async (event: unknown, context: Context) =>
    handler(parseConfig(schema, event, 'event'), context),
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use({
      onError: async (request) => {
        logger.error('handler failed', { error: request.error as Error });
      },
    });
}
