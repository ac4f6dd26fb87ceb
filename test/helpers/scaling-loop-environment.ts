import { ENV } from '../../shared/contracts/env';

/**
 * The environment the scaling loop's functions (dispatcher and worker) are deployed with
 * (infra/constructs/scaling-loop.ts), for a test loading a handler module with `config`.
 */
export function scalingLoopEnvironment(config: unknown): Record<string, string> {
  return {
    [ENV.config]: JSON.stringify(config),
    [ENV.stateTableName]: 'state',
    [ENV.deployment]: 'Prescale',
    [ENV.groupQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work',
    [ENV.killSwitchParameterName]: '/prescale/kill',
  };
}
