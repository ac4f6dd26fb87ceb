import { cloudWatchClient, overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { CloudWatchAlarmStates } from '../../../../shared/aws/cloud-watch-alarm-states';
import { CloudWatchAlarms } from '../../../../shared/simulation/world/cloud-watch-alarms';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const NOW = Date.parse('2026-03-02T01:00:00Z');

type Described = {
  MetricAlarms: { AlarmName: string; StateValue: string }[];
  CompositeAlarms: { AlarmName: string }[];
  NextToken?: string;
};

function alarms(): CloudWatchAlarms {
  const a = new CloudWatchAlarms('eu-west-1');
  a.put('web-5xx', NOW);
  a.put('web-latency', NOW, { state: 'ALARM' });
  a.put('web-health', NOW, { type: 'CompositeAlarm', state: 'ALARM' });
  return a;
}

describe('CloudWatchAlarms', () => {
  it('describes metric alarms only unless composite ones are asked for, by name and state', () => {
    const a = alarms();
    const names = (out: unknown) => {
      const d = out as Described;
      return [...d.MetricAlarms, ...d.CompositeAlarms].map((x) => x.AlarmName);
    };
    expect(names(a.describeAlarms({}))).toEqual(['web-5xx', 'web-latency']);
    expect(
      names(a.describeAlarms({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], StateValue: 'ALARM' })),
    ).toEqual(['web-latency', 'web-health']);
    expect(names(a.describeAlarms({ AlarmNames: ['web-5xx', 'nope'] }))).toEqual(['web-5xx']);
    a.setState('web-5xx', 'ALARM', NOW + 60_000);
    expect(names(a.describeAlarms({ StateValue: 'ALARM', AlarmNamePrefix: 'web-5' }))).toEqual(['web-5xx']);
  });

  it('pages by MaxRecords and refuses what the API refuses', () => {
    const a = alarms();
    const first = a.describeAlarms({ MaxRecords: 1 }) as Described;
    expect(first).toMatchObject({ MetricAlarms: [{ AlarmName: 'web-5xx' }], NextToken: '1' });
    expect(a.describeAlarms({ MaxRecords: 1, NextToken: first.NextToken })).not.toHaveProperty('NextToken');
    expect(() => a.describeAlarms({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterCombination' }),
    );
    expect(() => a.describeAlarms({ MaxRecords: 101 })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue' }),
    );
    expect(() => a.describeAlarms({ NextToken: 'x' })).toThrow(
      expect.objectContaining({ name: 'InvalidNextToken' }),
    );
    expect(() => a.setState('nope', 'OK', NOW)).toThrow(RangeError);
  });

  describe('through the SDK and the adapter', () => {
    afterEach(() => overrideAwsTransport(undefined));

    it("answers Prescale's alarm reads: which watched alarms are in ALARM, which do not exist", async () => {
      const world = new SimulatedWorld({ startMs: NOW, seed: 1 });
      world.alarms.put('web-5xx', NOW, { state: 'ALARM' });
      world.alarms.put('web-health', NOW, { type: 'CompositeAlarm' });
      overrideAwsTransport({ answer: world.answer });
      const states = new CloudWatchAlarmStates(cloudWatchClient({ region: 'us-east-1' }));
      expect(await states.alarmsInAlarm(['web-5xx', 'web-health', 'web-typo'])).toEqual(['web-5xx']);
      expect(await states.unknownAlarms(['web-5xx', 'web-health', 'web-typo'])).toEqual(['web-typo']);
    });
  });
});
