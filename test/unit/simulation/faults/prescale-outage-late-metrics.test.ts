import { runPrescaleOutage } from '../../../../shared/simulation/faults/prescale-outage';

describe('fault injection: Prescale down, CloudWatch late', () => {
  it('runs the group in a world as late as asked: target tracking’s alarm, a minute late whatever the delay, moves reactive’s figures', async () => {
    // Reactive alone from 08:00 through the ramp to the 13:00 peak: its alarm is all that reads CloudWatch.
    const options = {
      seed: 1,
      variant: 'reactive',
      downAtHourUtc: 9,
      runningHoursBefore: 1,
      measuredHours: 5,
    } as const;
    const figures = async (metricDelayMinutes?: number) => {
      const r = await runPrescaleOutage(undefined, {
        ...options,
        ...(metricDelayMinutes !== undefined ? { metricDelayMinutes } : {}),
      });
      return { slo: r.sloViolationMinutes, instanceHours: r.instanceHours };
    };
    const onTime = await figures();
    const late = await figures(2);
    expect(late).not.toEqual(onTime);
    // The alarm sees a minute's first instances a minute after it ends, whatever N.
    expect(await figures(3)).toEqual(late);
  });
});
