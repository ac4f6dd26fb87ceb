import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../contracts/env';

/** The observability tools of one Lambda: module-scope singletons, reused while warm. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** Builds the Powertools logger, metrics and tracer with Prescale's namespace and service name. */
export function createObservability(functionRole: string): Observability {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME, persistentLogAttributes: { functionRole } }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    tracer: new Tracer({ serviceName: SERVICE_NAME }),
  };
}
