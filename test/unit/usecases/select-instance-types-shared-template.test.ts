import type { LaunchTemplateFacts } from '../../../shared/ports/instance-catalog';
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

  it("makes none from a version that is not the template's latest: it would become $Latest over newer work", async () => {
    const w = world([webGroup()]);
    const pinned = w.instanceCatalog.launchTemplate.bind(w.instanceCatalog);
    w.instanceCatalog.launchTemplate = async (id: string, version: string): Promise<LaunchTemplateFacts> =>
      version === '$Latest' ? { ...(await pinned(id, version)), versionNumber: 9 } : pinned(id, version);
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('the group launches version 7 of lt-web, whose latest is 9'),
    });
    expect(w.applier.calls).toEqual([]);
  });
});
