import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../contracts/env';

/** The observability tools of one Lambda: module-scope singletons, reused while warm. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** What Powertools Metrics writes its own warnings to. */
type MetricsLogger = NonNullable<NonNullable<ConstructorParameters<typeof Metrics>[0]>['logger']>;

const EMPTY_METRICS_NOTICE = 'No application metrics to publish';

/**
 * Builds the Powertools logger, metrics and tracer with Prescale's namespace and service name.
 * Metrics carry the deployment too: without it a staging and a production stack in one account
 * and region would publish into the same metrics, and one's StaleGroups datapoints would keep the
 * other's "Prescale silent" alarm OK while its loop had stopped.
 */
export function createObservability(functionRole: string): Observability {
  const logger = new Logger({ serviceName: SERVICE_NAME, persistentKeys: { functionRole } });
  const deployment = process.env[ENV.deployment];
  return {
    logger,
    metrics: new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      logger: metricsLogger(logger),
      ...(deployment ? { defaultDimensions: { deployment } } : {}),
    }),
    tracer: new Tracer({ serviceName: SERVICE_NAME }),
  };
}

/**
 * The function's own logger for the metrics utility's warnings, so they carry its context and
 * log level, with one exception: Powertools warns on every invocation that adds no metric, and
 * most of Prescale's handlers add none on most paths (each rolling-update workflow step, a
 * dispatch with nothing to dispatch), so that notice would be a WARN line per invocation in every
 * deployment, training operators to skip warnings. It is logged at debug instead.
 */
export function metricsLogger(logger: Logger): MetricsLogger {
  // The metrics utility logs single strings; joined, anything else still reads whole.
  const text = (content: unknown[]): string => content.map(String).join(' ');
  return {
    debug: (...content: unknown[]) => logger.debug(text(content)),
    info: (...content: unknown[]) => logger.info(text(content)),
    warn: (...content: unknown[]) => {
      const message = text(content);
      if (message.startsWith(EMPTY_METRICS_NOTICE)) logger.debug(message);
      else logger.warn(message);
    },
    error: (...content: unknown[]) => logger.error(text(content)),
  };
}
