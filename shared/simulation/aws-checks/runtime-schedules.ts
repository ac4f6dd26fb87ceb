import { CAMPAIGN_ENV } from '../../contracts/campaign-events';
import { ENV } from '../../contracts/env';

/** A one-time schedule a function creates at run time: its group and the target it invokes. */
export interface RuntimeSchedule {
  readonly group: string;
  /** Who creates them, for reports. */
  readonly creator: string;
  /** As a schedule's `Target`: the function, the role Scheduler assumes, the DLQ. */
  readonly target: Record<string, unknown>;
}

/**
 * The schedules the deployed functions create at run time (the campaign receiver's), read from
 * the environment each was deployed with: the group, the role and the DLQ it passes to Scheduler.
 */
export function runtimeSchedules(
  functions: readonly {
    readonly handler?: string | undefined;
    readonly environment: Readonly<Record<string, string>>;
  }[],
): RuntimeSchedule[] {
  return functions.flatMap(({ handler, environment: env }) => {
    const [group, roleArn, functionArn] = [
      env[ENV.schedulerGroupName],
      env[ENV.schedulerRoleArn],
      env[ENV.prewarmFunctionArn],
    ];
    if (!group || !roleArn || !functionArn) return [];
    const dlq = env[CAMPAIGN_ENV.deadLetterQueueArn];
    const target = { Arn: functionArn, RoleArn: roleArn, ...(dlq ? { DeadLetterConfig: { Arn: dlq } } : {}) };
    return [{ group, creator: `${handler ?? 'a function'} schedules`, target }];
  });
}
