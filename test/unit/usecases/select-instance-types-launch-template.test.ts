import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  applyingSelectionConfig as applying,
  byName,
  SELECTION_REGION as REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

/** `worker`, not enrolled, launching web's template `lt-web` at `version`. */
const worker = (version: string) =>
  groupSnapshot({ name: 'worker', launchTemplate: { id: 'lt-web', version } });

describe("selectInstanceTypes and a single-type group's launch template that others launch", () => {
  it('makes no version another group would launch at once through $Latest', async () => {
    const w = world([webGroup(), worker('$Latest')]);
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining(
        'lt-web is also launched at $Latest by worker: a new version would change their launches at once',
      ),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('makes one where the others are pinned to a version number', async () => {
    const w = world([webGroup(), worker('7')]);
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'applied' });
  });
});

describe('selectInstanceTypes and a launch template bound to a purchase, a placement or a feature', () => {
  it('recommends only: the selection prices On-Demand shared tenancy and checks none of these per type', async () => {
    const w = world([webGroup()]);
    const template = await w.instanceCatalog.launchTemplate('lt-web', '7');
    w.instanceCatalog.launchTemplate = async () => ({
      ...template,
      typeBoundSettings: ['a CapacityReservationTarget (a reservation is for one type)'],
    });
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason:
        'its launch template sets a CapacityReservationTarget (a reservation is for one type): the selection prices On-Demand instances in shared tenancy and does not check these per type, so it recommends only; change the type yourself',
    });
    expect(w.applier.calls).toEqual([]);
  });
});
