import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmStates } from '../ports/alarm-states';
import { translateAwsError } from './translate-aws-error';

/** DescribeAlarms accepts at most 100 alarm names per call. */
const NAMES_PER_CALL = 100;

/** `AlarmStates` on CloudWatch `DescribeAlarms` (metric and composite alarms). */
export class CloudWatchAlarmStates implements AlarmStates {
  constructor(private readonly client: CloudWatchClient) {}

  async alarmsInAlarm(alarmNames: readonly string[]): Promise<string[]> {
    // DescribeAlarms without names lists every alarm of the account: never call it empty.
    if (alarmNames.length === 0) return [];
    const inAlarm: string[] = [];
    try {
      for (let i = 0; i < alarmNames.length; i += NAMES_PER_CALL) {
        let NextToken: string | undefined;
        do {
          const out = await this.client.send(
            new DescribeAlarmsCommand({
              AlarmNames: alarmNames.slice(i, i + NAMES_PER_CALL),
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              StateValue: 'ALARM',
              ...(NextToken ? { NextToken } : {}),
            }),
          );
          for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
            if (a.AlarmName && a.StateValue === 'ALARM') inAlarm.push(a.AlarmName);
          }
          NextToken = out.NextToken;
        } while (NextToken);
      }
    } catch (error) {
      throw translateAwsError(error, 'CloudWatch', 'DescribeAlarms');
    }
    return [...new Set(inAlarm)].sort();
  }
}
