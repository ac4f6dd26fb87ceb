import fc from 'fast-check';
import {
  instancesFor,
  selectSingleType,
  selectSingleTypeOfSize,
  sizeChangeReason,
} from '../../../../shared/core/pricing/select-single-type';
import { candidate } from '../../../fakes/pricing/catalog-builders';

describe('selectSingleType', () => {
  it('picks the lowest cost per capacity unit and enough instances for the requirement', () => {
    const choice = selectSingleType(
      [
        candidate('m5.large', 2, 0.096),
        candidate('m7g.xlarge', 4, 0.1632),
        candidate('c7g.large', 2, 0.0725),
      ],
      10,
    );
    expect(choice).toEqual({
      kind: 'selected',
      unitPriceUsd: 0.03625,
      selection: {
        items: [
          {
            instanceType: 'c7g.large',
            instanceCount: 5,
            capacityUnitsPerInstance: 2,
            hourlyPriceUsd: 0.0725,
            onDemandHourlyPriceUsd: 0.0725,
          },
        ],
        totalCapacityUnits: 10,
        hourlyCostUsd: 0.3625,
      },
    });
  });

  it('breaks ties by hourly price, then by name', () => {
    const a = selectSingleType([candidate('b.xlarge', 4, 0.2), candidate('a.large', 2, 0.1)], 4);
    expect(a.kind === 'selected' && a.selection.items[0]?.instanceType).toBe('a.large');
    const b = selectSingleType([candidate('z.large', 2, 0.1), candidate('y.large', 2, 0.1)], 4);
    expect(b.kind === 'selected' && b.selection.items[0]?.instanceType).toBe('y.large');
  });

  it('reports infeasible without candidates or with a bad requirement', () => {
    expect(selectSingleType([], 4)).toEqual({
      kind: 'infeasible',
      reason: 'no instance type meets the requirements',
    });
    expect(selectSingleType([candidate('a.large', 2, 0.1)], Number.NaN).kind).toBe('infeasible');
  });

  it('never chooses a higher unit cost when a cheaper offer is added, and always covers the requirement', () => {
    const offer = fc.record({
      units: fc.integer({ min: 1, max: 96 }),
      price: fc.double({ min: 0.001, max: 20, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(offer, { minLength: 1, maxLength: 12 }),
        offer,
        fc.integer({ min: 0, max: 500 }),
        (offers, extra, required) => {
          const base = offers.map((o, i) => candidate(`t${i}.large`, o.units, o.price));
          const before = selectSingleType(base, required);
          const after = selectSingleType(
            [...base, candidate('new.large', extra.units, extra.price)],
            required,
          );
          if (before.kind !== 'selected' || after.kind !== 'selected') throw new Error('expected selections');
          expect(after.unitPriceUsd).toBeLessThanOrEqual(before.unitPriceUsd);
          expect(after.selection.totalCapacityUnits).toBeGreaterThanOrEqual(required);
        },
      ),
    );
  });
});

describe('instancesFor', () => {
  it('rounds up, ignores float noise and needs at least one instance', () => {
    expect(instancesFor(10, 4)).toBe(3);
    expect(instancesFor(0.1 * 3 * 10, 3)).toBe(1);
    expect(instancesFor(0, 4)).toBe(1);
  });
});

describe('selectSingleTypeOfSize', () => {
  const typeOf = (selection?: { items: readonly { instanceType: string }[] }) =>
    selection?.items.map((i) => i.instanceType);

  // c7g.4xlarge is cheapest per vCPU ($0.0375), then c7g.large ($0.0408) and m6g.xlarge ($0.043).
  it.each<[string, number, number, string, string | undefined]>([
    ['a cheaper other size kept aside', 4, 32, 'm6g.xlarge', 'c7g.4xlarge'],
    ['the cheapest is of the group’s size', 16, 32, 'c7g.4xlarge', undefined],
    // 2 vCPUs take one c7g.4xlarge ($0.6) or one c7g.large ($0.0816).
    ['an other size no cheaper at the requirement', 2, 2, 'c7g.large', undefined],
    ['no candidate of the group’s size: the overall cheapest', 8, 32, 'c7g.4xlarge', undefined],
  ])('%s', (_case, currentUnits, required, selected, other) => {
    const choice = selectSingleTypeOfSize(
      [
        candidate('c7g.large', 2, 0.0816),
        candidate('m6g.xlarge', 4, 0.172),
        candidate('m7g.xlarge', 4, 0.1824),
        candidate('c7g.4xlarge', 16, 0.6),
      ],
      required,
      currentUnits,
    );
    if (choice.kind !== 'selected') throw new Error(choice.reason);
    expect(typeOf(choice.selection)).toEqual([selected]);
    expect(typeOf(choice.otherSize)).toEqual(other === undefined ? undefined : [other]);
  });

  it('is infeasible without candidates', () => {
    expect(selectSingleTypeOfSize([], 4, 2).kind).toBe('infeasible');
  });

  it('chooses the group’s size whenever there is one, and keeps aside only a cheaper other size', () => {
    const offer = fc.record({
      units: fc.constantFrom(1, 2, 4, 8),
      price: fc.double({ min: 0.001, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(offer, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(1, 2, 4, 8),
        fc.integer({ min: 0, max: 200 }),
        (offers, currentUnits, required) => {
          const candidates = offers.map((o, i) => candidate(`t${i}.large`, o.units, o.price));
          const choice = selectSingleTypeOfSize(candidates, required, currentUnits);
          if (choice.kind !== 'selected') throw new Error(choice.reason);
          const [item] = choice.selection.items;
          if (candidates.some((c) => c.capacityUnits === currentUnits))
            expect(item?.capacityUnitsPerInstance).toBe(currentUnits);
          if (choice.otherSize) {
            expect(choice.otherSize.items[0]?.capacityUnitsPerInstance).not.toBe(currentUnits);
            expect(choice.otherSize.hourlyCostUsd).toBeLessThan(choice.selection.hourlyCostUsd);
          }
        },
      ),
    );
  });
});

describe('sizeChangeReason', () => {
  it('names both types, their sizes in the configured unit, and why the size matters', () => {
    const from = { instanceType: 'm7g.xlarge', capacityUnits: 4 };
    const to = { instanceType: 'c7g.large', capacityUnits: 2 };
    expect(sizeChangeReason(from, to, 'vcpu')).toMatch(
      /^c7g\.large has 2 vCPUs where the group's m7g\.xlarge has 4: .*counts instances/,
    );
    expect(sizeChangeReason(from, to, 'weights')).toMatch(/has 2 capacity units where/);
  });
});
