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
    expect(saturationOf({ metric: cpu, targetLoadPerInstance: 60 })).toEqual({
      saturatedLoadPerInstance: 100,
    });
    expect(saturationOf({ metric: custom, targetLoadPerInstance: 60 })).toEqual({});
  });

  it('takes the setting over the kind, none included', () => {
    expect(
      saturationOf({ metric: cpu, targetLoadPerInstance: 60, saturatedLoadPerInstance: 'none' }),
    ).toEqual({});
    expect(
      saturationOf({ metric: custom, targetLoadPerInstance: 60, saturatedLoadPerInstance: 250 }),
    ).toEqual({
      saturatedLoadPerInstance: 250,
    });
  });

  it('has none at or below the target, where a tag may have put it', () => {
    expect(saturationOf({ metric: cpu, targetLoadPerInstance: 100 })).toEqual({});
    expect(
      saturationOf({ metric: custom, targetLoadPerInstance: 250, saturatedLoadPerInstance: 250 }),
    ).toEqual({});
  });
});
