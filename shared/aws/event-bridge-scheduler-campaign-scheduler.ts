import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { CampaignAction, CampaignScheduler } from '../ports/campaign-scheduler';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'EventBridge Scheduler';

/** Where the schedules live and what they invoke. */
export interface CampaignScheduleTarget {
  /** Prescale's schedule group (every campaign schedule is in it). */
  readonly groupName: string;
  /** The pre-warm Lambda's ARN. */
  readonly functionArn: string;
  /** The role Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** Dead-letter queue for invocations that keep failing. */
  readonly deadLetterQueueArn: string;
}

/** `at()` takes `yyyy-mm-ddThh:mm:ss`, read in `ScheduleExpressionTimezone` (UTC here). */
export function atExpression(atMs: number): string {
  return `at(${new Date(Math.floor(atMs / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/** The schedule's name: `<campaignId>.<action>` (ids are at most 48 characters, names 64). */
export function campaignScheduleName(campaignId: string, action: CampaignAction): string {
  return `${campaignId}.${action}`;
}

/**
 * `CampaignScheduler` on EventBridge Scheduler: one-time `at()` schedules in UTC that delete
 * themselves after they fire (`ActionAfterCompletion: DELETE`) and invoke the pre-warm Lambda
 * with `{ campaignId, action }`. Creating a schedule that exists moves it instead
 * (ConflictException → UpdateSchedule, which replaces the whole definition); deleting one that
 * is gone is fine.
 */
export class EventBridgeSchedulerCampaignScheduler implements CampaignScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: CampaignScheduleTarget,
  ) {}

  async scheduleAction(campaignId: string, action: CampaignAction, atMs: number): Promise<void> {
    const input: CreateScheduleCommandInput = {
      Name: campaignScheduleName(campaignId, action),
      GroupName: this.target.groupName,
      Description: `Prescale campaign ${campaignId}: ${action}`,
      ScheduleExpression: atExpression(atMs),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.target.functionArn,
        RoleArn: this.target.roleArn,
        Input: JSON.stringify({ campaignId, action }),
        // A pre-warm more than an hour late is worth less than the loop's own next run.
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: this.target.deadLetterQueueArn },
      },
    };
    // The schedule may fire and delete itself between a conflict and the update: then create it.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.client.send(new CreateScheduleCommand(input));
        return;
      } catch (error) {
        if (errorName(error) !== 'ConflictException')
          throw translateAwsError(error, DEPENDENCY, 'CreateSchedule');
      }
      try {
        await this.client.send(new UpdateScheduleCommand(input));
        return;
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException' || attempt > 0)
          throw translateAwsError(error, DEPENDENCY, 'UpdateSchedule');
      }
    }
  }

  async cancelAction(campaignId: string, action: CampaignAction): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({
          Name: campaignScheduleName(campaignId, action),
          GroupName: this.target.groupName,
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw translateAwsError(error, DEPENDENCY, 'DeleteSchedule');
    }
  }
}

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;
