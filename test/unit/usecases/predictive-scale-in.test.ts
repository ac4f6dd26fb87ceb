import { saturationOf } from '../../../shared/usecases/predictive-scale-in';

describe('saturationOf', () => {
  const cpu = { kind: 'cpu' } as const;
  const custom = {
    kind: 'custom',
    namespace: 'Shop',
    metricName: 'Load',
    dimensions: {},
    stat: 'Sum',
  } as const;

  it('follows the metric kind when unset: 100 % for cpu, none for the others', () => {
    expect(saturationOf({ metric: cpu, targetLoadPerInstance: 60 }, 'cloudwatch')).toEqual({
      saturatedLoadPerInstance: 100,
    });
    expect(saturationOf({ metric: custom, targetLoadPerInstance: 60 }, 'cloudwatch')).toEqual({});
  });

  it('has none unset for a Timestream measure, which is read whatever the kind says, as synth holds it', () => {
    // The default kind is cpu, but a Timestream measure is in its own unit (`isCpuPercentLoad`).
    expect(saturationOf({ metric: cpu, targetLoadPerInstance: 60 }, 'timestream')).toEqual({});
    expect(
      saturationOf({ metric: cpu, targetLoadPerInstance: 60, saturatedLoadPerInstance: 100 }, 'timestream'),
    ).toEqual({ saturatedLoadPerInstance: 100 });
  });

  it('takes the setting over the kind, none included', () => {
    expect(
      saturationOf(
        { metric: cpu, targetLoadPerInstance: 60, saturatedLoadPerInstance: 'none' },
        'cloudwatch',
      ),
    ).toEqual({});
    expect(
      saturationOf(
        { metric: custom, targetLoadPerInstance: 60, saturatedLoadPerInstance: 250 },
        'cloudwatch',
      ),
    ).toEqual({
      saturatedLoadPerInstance: 250,
    });
  });

  it('has none at or below the target, where a tag may have put it', () => {
    expect(saturationOf({ metric: cpu, targetLoadPerInstance: 100 }, 'cloudwatch')).toEqual({});
    expect(
      saturationOf(
        { metric: custom, targetLoadPerInstance: 250, saturatedLoadPerInstance: 250 },
        'cloudwatch',
      ),
    ).toEqual({});
  });
});
