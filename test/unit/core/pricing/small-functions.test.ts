import { checkApplicable } from '../../../../shared/core/pricing/check-applicable';
import { inferArchitecture } from '../../../../shared/core/pricing/infer-architecture';
import { monthlySaving, savingShortfall } from '../../../../shared/core/pricing/monthly-saving';
import { overrideWeight, planOverrides } from '../../../../shared/core/pricing/plan-overrides';
import { requiredCapacityUnits } from '../../../../shared/core/pricing/required-capacity-units';
import { factsFor } from '../../../fakes/pricing/catalog-builders';

const facts = new Map(['m5.large', 'm7g.large', 'm7g.xlarge'].map((t) => [t, factsFor(t)]));

describe('checkApplicable', () => {
  it('accepts types offered everywhere and of the AMI architecture', () => {
    expect(
      checkApplicable({
        instanceTypes: ['m7g.large'],
        zones: ['a', 'b'],
        offeredInEveryZone: new Set(['m7g.large']),
        architecture: 'arm64',
        facts,
      }),
    ).toEqual({ kind: 'ok' });
  });

  it('lists every reason a change is unsafe', () => {
    const check = checkApplicable({
      instanceTypes: ['m5.large', 'm7g.xlarge', 'x9.large'],
      zones: ['a'],
      offeredInEveryZone: new Set(['m5.large', 'x9.large']),
      architecture: 'arm64',
      facts,
    });
    expect(check).toEqual({
      kind: 'unsafe',
      reasons: [
        'm5.large supports x86_64, the AMI is arm64',
        'm7g.xlarge is not offered in every zone of the group (a)',
        'x9.large is unknown to EC2',
      ],
    });
  });
});

describe('inferArchitecture', () => {
  it('prefers the image, then the one architecture of the current types', () => {
    expect(inferArchitecture('x86_64', ['m7g.large'], facts)).toEqual({
      kind: 'known',
      architecture: 'x86_64',
      source: 'image',
    });
    expect(inferArchitecture(undefined, ['m7g.large', 'm7g.xlarge'], facts)).toEqual({
      kind: 'known',
      architecture: 'arm64',
      source: 'current-instance-types',
    });
    expect(inferArchitecture(undefined, ['m5.large', 'm7g.large'], facts).kind).toBe('unknown');
    expect(inferArchitecture(undefined, [], facts).kind).toBe('unknown');
  });
});

describe('monthlySaving', () => {
  it('uses 730 hours a month', () => {
    expect(monthlySaving(1, 0.75)).toEqual({
      currentMonthlyCostUsd: 730,
      recommendedMonthlyCostUsd: 547.5,
      monthlySavingUsd: 182.5,
      savingRatio: 0.25,
    });
    expect(monthlySaving(0, 0).savingRatio).toBe(0);
  });
});

describe('savingShortfall', () => {
  const threshold = { minSavingRatio: 0.05, minMonthlySavingUsd: 10 };

  it('lets through a saving of at least the share and the amount', () => {
    expect(savingShortfall(monthlySaving(1, 0.95), threshold)).toBeUndefined();
  });

  it('names the share a saving falls short of', () => {
    expect(savingShortfall(monthlySaving(1, 0.96), threshold)).toBe(
      "it saves 4.0 % of the group's cost ($29.20/month), under pricing.minSavingRatio 5.0 %",
    );
  });

  it('names the amount a saving falls short of', () => {
    expect(savingShortfall(monthlySaving(0.1, 0.09), threshold)).toBe(
      'it saves $7.30/month, under pricing.minMonthlySavingUsd $10.00',
    );
  });

  it('refuses no saving or a dearer selection whatever the threshold', () => {
    const none = { minSavingRatio: 0, minMonthlySavingUsd: 0 };
    expect(savingShortfall(monthlySaving(1, 1), none)).toBe(
      'the current configuration costs no more at the forecast peak',
    );
    expect(savingShortfall(monthlySaving(1, 1.2), none)).toBe(
      'the current configuration costs no more at the forecast peak',
    );
  });
});

describe('requiredCapacityUnits', () => {
  it('converts group capacity at the rate of the smallest current type', () => {
    expect(requiredCapacityUnits(5, [{ groupWeight: 1, capacityUnits: 2 }])).toBe(10);
    expect(
      requiredCapacityUnits(5, [
        { groupWeight: 1, capacityUnits: 4 },
        { groupWeight: 1, capacityUnits: 2 },
      ]),
    ).toBe(10);
    expect(requiredCapacityUnits(16, [{ groupWeight: 4, capacityUnits: 4 }])).toBe(16);
    expect(requiredCapacityUnits(5, [{ groupWeight: 1, capacityUnits: undefined }])).toBeUndefined();
  });
});

describe('planOverrides', () => {
  it('carries proportional weights over to the new types', () => {
    expect(
      planOverrides({
        current: [{ instanceType: 'm5.large', weightedCapacity: 1, capacityUnits: 2 }],
        selected: [
          { instanceType: 'm7g.large', capacityUnits: 2 },
          { instanceType: 'm7g.xlarge', capacityUnits: 4 },
        ],
      }),
    ).toEqual({
      kind: 'ok',
      overrides: [
        { instanceType: 'm7g.large', weightedCapacity: 1 },
        { instanceType: 'm7g.xlarge', weightedCapacity: 2 },
      ],
    });
  });

  it('keeps an unweighted group unweighted when sizes match', () => {
    expect(
      planOverrides({
        current: [{ instanceType: 'm5.large', capacityUnits: 2 }],
        selected: [{ instanceType: 'm7g.large', capacityUnits: 2 }],
      }),
    ).toEqual({ kind: 'ok', overrides: [{ instanceType: 'm7g.large' }] });
  });

  it.each([
    ['an unweighted group would change meaning', [{ instanceType: 'm5.large', capacityUnits: 2 }], 4],
    [
      'current weights are not proportional',
      [
        { instanceType: 'm5.large', weightedCapacity: 1, capacityUnits: 2 },
        { instanceType: 'm5.xlarge', weightedCapacity: 1, capacityUnits: 4 },
      ],
      2,
    ],
    [
      'the weight would not be whole',
      [{ instanceType: 'm5.large', weightedCapacity: 1, capacityUnits: 2 }],
      3,
    ],
  ])('refuses when %s', (_, current, units) => {
    expect(
      planOverrides({ current, selected: [{ instanceType: 'x.large', capacityUnits: units }] }).kind,
    ).toBe('incompatible');
  });
});

describe('overrideWeight', () => {
  it('weighs a type ratio × units, a whole number 1–999, and 1 only in a group without weights', () => {
    const type = (units: number) => ({ instanceType: 'm6a.xlarge', capacityUnits: units });
    expect(overrideWeight({ ratio: 0.25, weighted: true }, type(4))).toEqual({ kind: 'ok', weight: 1 });
    expect(overrideWeight({ ratio: 0.25, weighted: true }, type(2))).toMatchObject({
      kind: 'incompatible',
      reason: expect.stringContaining('would need weight 0.5'),
    });
    expect(overrideWeight({ ratio: 1, weighted: true }, type(1000)).kind).toBe('incompatible');
    expect(overrideWeight({ ratio: 0.5, weighted: false }, type(2))).toEqual({ kind: 'ok', weight: 1 });
    expect(overrideWeight({ ratio: 0.5, weighted: false }, type(4))).toMatchObject({
      kind: 'incompatible',
      reason: expect.stringContaining('m6a.xlarge is a different size'),
    });
  });
});
