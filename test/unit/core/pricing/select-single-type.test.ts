import fc from 'fast-check';
import { instancesFor, selectSingleType } from '../../../../shared/core/pricing/select-single-type';
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
