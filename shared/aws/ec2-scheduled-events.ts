import { type AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceStatusCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type {
  MaintenanceEvents,
  ScheduledEventCode,
  ScheduledInstanceEvent,
} from '../ports/maintenance-events';
import { translateEc2Error } from './ec2-error-translation';
import { translateAwsError } from './translate-aws-error';

const CODES: readonly ScheduledEventCode[] = [
  'instance-retirement',
  'instance-stop',
  'instance-reboot',
  'system-reboot',
  'system-maintenance',
];

type InstanceInGroup = Pick<ScheduledInstanceEvent, 'groupName' | 'lifecycleState' | 'protectedFromScaleIn'>;

/** DescribeAutoScalingInstances accepts at most 50 instance IDs per call. */
const IDS_PER_CALL = 50;

/**
 * `MaintenanceEvents` on EC2 `DescribeInstanceStatus` (all instances, filtered by event code) and
 * Auto Scaling `DescribeAutoScalingInstances` for each instance's group. EC2 keeps completed and
 * cancelled events for a while with a `[Completed]`/`[Canceled]` description prefix; those are dropped.
 */
export class Ec2ScheduledEvents implements MaintenanceEvents {
  constructor(
    private readonly clients: { readonly ec2: EC2Client; readonly autoScaling: AutoScalingClient },
  ) {}

  async upcomingEvents(): Promise<ScheduledInstanceEvent[]> {
    const events: Omit<ScheduledInstanceEvent, 'groupName'>[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const out = await this.clients.ec2.send(
          new DescribeInstanceStatusCommand({
            IncludeAllInstances: true,
            Filters: [{ Name: 'event.code', Values: [...CODES] }],
            MaxResults: 1000,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        for (const status of out.InstanceStatuses ?? []) {
          for (const e of status.Events ?? []) {
            const description = e.Description ?? '';
            if (!status.InstanceId || !CODES.includes(e.Code as ScheduledEventCode)) continue;
            if (/^\[(Completed|Canceled|Cancelled)\]/i.test(description)) continue;
            events.push({
              instanceId: status.InstanceId,
              code: e.Code as ScheduledEventCode,
              notBeforeMs: (e.NotBefore ?? e.NotBeforeDeadline)?.getTime() ?? 0,
              description,
            });
          }
        }
        NextToken = out.NextToken;
      } while (NextToken);
    } catch (error) {
      throw translateEc2Error(error, 'DescribeInstanceStatus');
    }
    const groups = await this.groupsOf([...new Set(events.map((e) => e.instanceId))]);
    return events.map((e) => ({ ...e, ...groups.get(e.instanceId) }));
  }

  /** Each instance's group, with its lifecycle state and scale-in protection there. */
  private async groupsOf(instanceIds: readonly string[]): Promise<Map<string, InstanceInGroup>> {
    const groups = new Map<string, InstanceInGroup>();
    try {
      for (let i = 0; i < instanceIds.length; i += IDS_PER_CALL) {
        const out = await this.clients.autoScaling.send(
          new DescribeAutoScalingInstancesCommand({ InstanceIds: instanceIds.slice(i, i + IDS_PER_CALL) }),
        );
        for (const instance of out.AutoScalingInstances ?? []) {
          if (instance.InstanceId && instance.AutoScalingGroupName) {
            groups.set(instance.InstanceId, {
              groupName: instance.AutoScalingGroupName,
              ...(instance.LifecycleState ? { lifecycleState: instance.LifecycleState } : {}),
              ...(instance.ProtectedFromScaleIn !== undefined
                ? { protectedFromScaleIn: instance.ProtectedFromScaleIn }
                : {}),
            });
          }
        }
      }
    } catch (error) {
      throw translateAwsError(error, 'Auto Scaling', 'DescribeAutoScalingInstances');
    }
    return groups;
  }
}
