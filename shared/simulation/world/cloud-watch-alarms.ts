import { SimulatedAwsError } from './simulated-aws-error';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';

/** DescribeAlarms input, as the SDK sends it (the fields the simulation reads). */
export interface DescribeAlarmsInput {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  AlarmTypes?: AlarmType[];
  StateValue?: AlarmState;
  MaxRecords?: number;
  NextToken?: string;
}

interface Alarm {
  readonly name: string;
  readonly type: AlarmType;
  state: AlarmState;
  stateUpdatedMs: number;
}

/** DescribeAlarms' page size when MaxRecords is not given, and its bounds (API reference). */
const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS = 100;

/**
 * CloudWatch alarms as DescribeAlarms reports them: metric and composite alarms by name, each in
 * a state the world sets (the simulation does not evaluate alarm rules). DescribeAlarms follows
 * the API reference: only metric alarms unless `AlarmTypes` says otherwise, names or a prefix (not
 * both, at most 100 names), a state filter, pages of `MaxRecords` (1–100, default 50) with a
 * `NextToken`; names that are no alarm are simply absent from the answer.
 */
export class CloudWatchAlarms {
  private readonly alarms = new Map<string, Alarm>();

  constructor(private readonly region: string) {}

  /** Creates (or replaces) an alarm in `state`. */
  put(
    name: string,
    nowMs: number,
    { type = 'MetricAlarm', state = 'OK' }: { type?: AlarmType; state?: AlarmState } = {},
  ): void {
    this.alarms.set(name, { name, type, state, stateUpdatedMs: nowMs });
  }

  /** Sets an existing alarm's state. @throws RangeError when there is no such alarm. */
  setState(name: string, state: AlarmState, nowMs: number): void {
    const alarm = this.alarms.get(name);
    if (!alarm) throw new RangeError(`no alarm ${name}`);
    alarm.state = state;
    alarm.stateUpdatedMs = nowMs;
  }

  /** The named alarms in ALARM now (names that are no alarm are not). */
  inAlarm(names: readonly string[]): string[] {
    return names.filter((n) => this.alarms.get(n)?.state === 'ALARM');
  }

  describeAlarms(input: DescribeAlarmsInput): unknown {
    if (input.AlarmNames && input.AlarmNamePrefix !== undefined)
      throw new SimulatedAwsError(
        'InvalidParameterCombination',
        'AlarmNames and AlarmNamePrefix cannot be used together.',
      );
    if ((input.AlarmNames?.length ?? 0) > 100)
      throw new SimulatedAwsError('InvalidParameterValue', 'AlarmNames may name at most 100 alarms.');
    const max = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
    if (max < 1 || max > MAX_RECORDS)
      throw new SimulatedAwsError(
        'InvalidParameterValue',
        `MaxRecords must be between 1 and ${MAX_RECORDS}.`,
      );
    const types = new Set(input.AlarmTypes ?? ['MetricAlarm']);
    const names = input.AlarmNames ? new Set(input.AlarmNames) : undefined;
    const matching = [...this.alarms.values()]
      .filter(
        (a) =>
          types.has(a.type) &&
          (!names || names.has(a.name)) &&
          (input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix)) &&
          (!input.StateValue || a.state === input.StateValue),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0 || start > matching.length)
      throw new SimulatedAwsError('InvalidNextToken', 'The service returned an invalid NextToken.');
    const page = matching.slice(start, start + max);
    const shape = (a: Alarm) => ({
      AlarmName: a.name,
      AlarmArn: `arn:aws:cloudwatch:${this.region}:123456789012:alarm:${a.name}`,
      StateValue: a.state,
      StateUpdatedTimestamp: new Date(a.stateUpdatedMs),
    });
    return {
      MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map(shape),
      CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map(shape),
      ...(start + max < matching.length ? { NextToken: String(start + max) } : {}),
    };
  }
}
