import type { LaunchTemplateFacts } from '../../../shared/ports/instance-catalog';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  applyingSelectionConfig as applying,
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

/** `web`'s template `lt-web` launching image `ami-1`, billed as `imageBilling` (undefined: unknown). */
async function webBilledAs(imageBilling?: LaunchTemplateFacts['imageBilling']) {
  const w = world([webGroup()]);
  const template = await w.instanceCatalog.launchTemplate('lt-web', '7');
  w.instanceCatalog.launchTemplate = async () => ({
    ...template,
    imageId: 'ami-1',
    ...(imageBilling ? { imageBilling } : {}),
  });
  return w;
}

describe("selectInstanceTypes and the platform a group's image is billed as", () => {
  it('recommends only when the image is billed as another platform than pricing.operatingSystem', async () => {
    const w = await webBilledAs({ platformDetails: 'Windows', usageOperation: 'RunInstances:0002' });
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason:
        "its image ami-1 is billed as Windows (RunInstances:0002), but every type is priced as pricing.operatingSystem Linux (Linux/UNIX), so the saving is not the group's and it recommends only: set pricing.operatingSystem to Windows to price it as billed",
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('says so to a recommend-only group too, and before a saving under the threshold', async () => {
    const w = await webBilledAs({ platformDetails: 'Windows', usageOperation: 'RunInstances:0002' });
    for (const pricing of [{ apply: false }, { apply: true, minSavingRatio: 0.99 }]) {
      const result = await selectInstanceTypes(w.deps, { config: config({ pricing }), region: REGION });
      expect(byName(result.groups, 'web')).toMatchObject({
        kind: 'recommended',
        reason: expect.stringContaining('its image ami-1 is billed as Windows (RunInstances:0002)'),
      });
    }
    expect(w.applier.calls).toEqual([]);
  });

  it('recommends only for a platform no pricing.operatingSystem prices (SQL Server)', async () => {
    const w = await webBilledAs({
      platformDetails: 'Windows with SQL Server Standard',
      usageOperation: 'RunInstances:0006',
    });
    const result = await selectInstanceTypes(w.deps, {
      config: applying({ operatingSystem: 'Windows' }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining(
        'billed as Windows with SQL Server Standard (RunInstances:0006), but every type is priced as pricing.operatingSystem Windows (Windows)',
      ),
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      reason: expect.stringContaining(
        'no pricing.operatingSystem prices that platform; change the type yourself',
      ),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('applies as before when the image is billed as pricing.operatingSystem', async () => {
    const w = await webBilledAs({ platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances' });
    const result = await selectInstanceTypes(w.deps, {
      config: applying({ operatingSystem: 'Linux' }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'applied' });
  });

  it('applies as before when the billing is unknown (an image not described)', async () => {
    const w = await webBilledAs(undefined);
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'applied' });
  });

  it('holds the change when the template re-read right before it launches an image billed otherwise', async () => {
    const w = world([webGroup()]);
    const template = await w.instanceCatalog.launchTemplate('lt-web', '7');
    let reads = 0;
    w.instanceCatalog.launchTemplate = async () => {
      reads++;
      return reads === 1
        ? template
        : { ...template, imageId: 'ami-2', imageBilling: { platformDetails: 'SUSE Linux' } };
    };
    const result = await selectInstanceTypes(w.deps, { config: applying(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining(
        'pre-apply check failed: its image ami-2 is billed as SUSE Linux, but every type is priced as pricing.operatingSystem Linux',
      ),
    });
    expect(w.applier.calls).toEqual([]);
  });
});
