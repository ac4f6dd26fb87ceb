import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const applying = () =>
  config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } });

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
