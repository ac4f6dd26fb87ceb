import {
  type AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeScheduledActionsCommand,
  type FailedScheduledUpdateGroupActionRequest,
} from '@aws-sdk/client-auto-scaling';
import { RejectedRequestError } from '../ports/errors';
import type {
  PlannedCapacityAction,
  ScheduledCapacity,
  ScheduledCapacityAction,
} from '../ports/scheduled-capacity';
import { isGroupNotFound, translateAutoScalingError } from './auto-scaling-error-translation';

const DEPENDENCY = 'Auto Scaling';
/** BatchPutScheduledUpdateGroupAction and BatchDeleteScheduledAction take at most 50 actions per call. */
const ACTIONS_PER_CALL = 50;
/** DescribeScheduledActions returns at most 100 per page. */
const PAGE_SIZE = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A failure in a batch answer that only says the action is already gone. */
function alreadyGone(f: FailedScheduledUpdateGroupActionRequest): boolean {
  return /not found/i.test(f.ErrorMessage ?? '');
}

/** `ScheduledCapacity` on the EC2 Auto Scaling API (batch calls, UTC one-time actions). */
export class AutoScalingScheduledCapacity implements ScheduledCapacity {
  constructor(private readonly client: AutoScalingClient) {}

  async scheduledActions(groupName: string): Promise<ScheduledCapacityAction[]> {
    const actions: ScheduledCapacityAction[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new DescribeScheduledActionsCommand({
            AutoScalingGroupName: groupName,
            MaxRecords: PAGE_SIZE,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        for (const a of out.ScheduledUpdateGroupActions ?? []) {
          if (!a.ScheduledActionName) continue;
          const start = a.StartTime ?? a.Time;
          actions.push({
            name: a.ScheduledActionName,
            ...(start ? { startMs: start.getTime() } : {}),
            ...(a.Recurrence ? { recurrence: a.Recurrence } : {}),
            ...(a.Recurrence && a.TimeZone ? { timeZone: a.TimeZone } : {}),
            ...(a.Recurrence && a.EndTime ? { endMs: a.EndTime.getTime() } : {}),
            ...(a.MinSize !== undefined ? { minSize: a.MinSize } : {}),
            ...(a.MaxSize !== undefined ? { maxSize: a.MaxSize } : {}),
            ...(a.DesiredCapacity !== undefined ? { desiredCapacity: a.DesiredCapacity } : {}),
          });
        }
        NextToken = out.NextToken;
      } while (NextToken);
    } catch (error) {
      throw translateAutoScalingError(error, 'DescribeScheduledActions', groupName);
    }
    return actions;
  }

  async putScheduledActions(groupName: string, actions: readonly PlannedCapacityAction[]): Promise<void> {
    for (const batch of chunks(actions, ACTIONS_PER_CALL)) {
      let failed: FailedScheduledUpdateGroupActionRequest[];
      try {
        const out = await this.client.send(
          new BatchPutScheduledUpdateGroupActionCommand({
            AutoScalingGroupName: groupName,
            ScheduledUpdateGroupActions: batch.map((a) => ({
              ScheduledActionName: a.name,
              // One-time actions: StartTime is UTC by definition; TimeZone only applies to Recurrence.
              StartTime: new Date(a.startMs),
              MinSize: a.minSize,
              ...(a.desiredCapacity !== undefined ? { DesiredCapacity: a.desiredCapacity } : {}),
              ...(a.maxSize !== undefined ? { MaxSize: a.maxSize } : {}),
            })),
          }),
        );
        failed = out.FailedScheduledUpdateGroupActions ?? [];
      } catch (error) {
        throw translateAutoScalingError(error, 'BatchPutScheduledUpdateGroupAction', groupName);
      }
      if (failed.length > 0) throw rejected('BatchPutScheduledUpdateGroupAction', failed);
    }
  }

  async deleteScheduledActions(groupName: string, names: readonly string[]): Promise<void> {
    for (const batch of chunks(names, ACTIONS_PER_CALL)) {
      let failed: FailedScheduledUpdateGroupActionRequest[];
      try {
        const out = await this.client.send(
          new BatchDeleteScheduledActionCommand({
            AutoScalingGroupName: groupName,
            ScheduledActionNames: batch,
          }),
        );
        failed = (out.FailedScheduledActions ?? []).filter((f) => !alreadyGone(f));
      } catch (error) {
        // A deleted group's scheduled actions are deleted with it: nothing is left to delete.
        if (isGroupNotFound(error)) return;
        throw translateAutoScalingError(error, 'BatchDeleteScheduledAction', groupName);
      }
      if (failed.length > 0) throw rejected('BatchDeleteScheduledAction', failed);
    }
  }
}

function rejected(operation: string, failed: readonly FailedScheduledUpdateGroupActionRequest[]): Error {
  const first = failed[0];
  return new RejectedRequestError(
    DEPENDENCY,
    operation,
    `${failed.length} action(s) refused, first ${first?.ScheduledActionName}: ${first?.ErrorCode ?? 'error'}: ${first?.ErrorMessage ?? 'no message'}`,
  );
}
