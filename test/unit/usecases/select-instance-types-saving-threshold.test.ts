import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  recommendationOf,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

/** `web`'s selection run with `pricing` (apply on, rollouts allowed), and what was applied. */
async function selectWeb(pricing: NonNullable<UserConfigInput['pricing']>) {
  const w = world([webGroup()]);
  const result = await selectInstanceTypes(w.deps, {
    config: config({
      pricing: { apply: true, ...pricing },
      rollingUpdate: { autoStartOnInstanceTypeChange: true },
    }),
    region: REGION,
  });
  return { web: byName(result.groups, 'web'), calls: w.applier.calls };
}

describe('selectInstanceTypes against the least saving worth a change', () => {
  it("applies web's saving when it reaches both thresholds exactly", async () => {
    const free = await selectWeb({ minSavingRatio: 0, minMonthlySavingUsd: 0 });
    const saving = recommendationOf(free.web).saving;
    if (!saving) throw new Error('no saving');
    expect(free.web.kind).toBe('applied');

    const atIt = await selectWeb({
      minSavingRatio: saving.savingRatio,
      minMonthlySavingUsd: saving.monthlySavingUsd,
    });
    expect(atIt.web.kind).toBe('applied');
  });

  it('only recommends, applying nothing, a saving under pricing.minSavingRatio', async () => {
    const { web } = await selectWeb({ minSavingRatio: 0 });
    const saving = recommendationOf(web).saving;
    if (!saving) throw new Error('no saving');

    const under = await selectWeb({ minSavingRatio: saving.savingRatio + 0.001 });
    expect(under.web).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('pricing.minSavingRatio'),
    });
    expect(under.calls).toEqual([]);
  });

  it('only recommends, applying nothing, a saving under pricing.minMonthlySavingUsd', async () => {
    const { web } = await selectWeb({ minSavingRatio: 0 });
    const saving = recommendationOf(web).saving;
    if (!saving) throw new Error('no saving');

    const under = await selectWeb({ minSavingRatio: 0, minMonthlySavingUsd: saving.monthlySavingUsd + 1 });
    expect(under.web).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('pricing.minMonthlySavingUsd'),
    });
    expect(under.calls).toEqual([]);
  });
});
