import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmStates } from '../ports/alarm-states';
import { translateAwsError } from './translate-aws-error';

/** DescribeAlarms accepts at most 100 alarm names per call. */
const NAMES_PER_CALL = 100;

/** `AlarmStates` on CloudWatch `DescribeAlarms` (metric and composite alarms). */
export class CloudWatchAlarmStates implements AlarmStates {
  constructor(private readonly client: CloudWatchClient) {}

  async alarmsInAlarm(alarmNames: readonly string[]): Promise<string[]> {
    const inAlarm = (await this.describe(alarmNames, 'ALARM'))
      .filter((a) => a.StateValue === 'ALARM')
      .map((a) => a.AlarmName);
    return [...new Set(inAlarm)].sort();
  }

  async unknownAlarms(alarmNames: readonly string[]): Promise<string[]> {
    const known = new Set((await this.describe(alarmNames)).map((a) => a.AlarmName));
    return [...new Set(alarmNames.filter((name) => !known.has(name)))].sort();
  }

  /** The named metric and composite alarms (in `state`, when given), every page of them. */
  private async describe(
    alarmNames: readonly string[],
    state?: StateValue,
  ): Promise<{ AlarmName: string; StateValue?: string }[]> {
    // DescribeAlarms without names lists every alarm of the account: never call it empty.
    if (alarmNames.length === 0) return [];
    const alarms: { AlarmName: string; StateValue?: string }[] = [];
    const keep = (out: DescribeAlarmsCommandOutput) => {
      for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])])
        if (a.AlarmName)
          alarms.push({ AlarmName: a.AlarmName, ...(a.StateValue ? { StateValue: a.StateValue } : {}) });
    };
    try {
      for (let i = 0; i < alarmNames.length; i += NAMES_PER_CALL) {
        let NextToken: string | undefined;
        do {
          const out = await this.client.send(
            new DescribeAlarmsCommand({
              AlarmNames: alarmNames.slice(i, i + NAMES_PER_CALL),
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              ...(state ? { StateValue: state } : {}),
              ...(NextToken ? { NextToken } : {}),
            }),
          );
          keep(out);
          NextToken = out.NextToken;
        } while (NextToken);
      }
    } catch (error) {
      throw translateAwsError(error, 'CloudWatch', 'DescribeAlarms');
    }
    return alarms;
  }
}
