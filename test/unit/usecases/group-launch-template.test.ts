import { ResourceNotFoundError } from '../../../shared/ports/errors';
import { LAUNCH_TEMPLATE_VERSION } from '../../../shared/ports/instance-catalog';
import { launchTemplateOf, runningVersion } from '../../../shared/usecases/group-launch-template';
import { groupSnapshot } from '../../fakes/fake-scaling-target';

/** `$Default` is version 6; `$Latest` is missing; `$Broken`'s image was deregistered. */
const launchTemplates = {
  launchTemplate: async (id: string, version: string) => {
    if (version === '$Latest') throw new ResourceNotFoundError(LAUNCH_TEMPLATE_VERSION, `${id}:${version}`);
    if (version === '$Broken') throw new ResourceNotFoundError('image', 'ami-gone');
    return { launchTemplateId: id, versionNumber: 6 };
  },
};

describe('launchTemplateOf', () => {
  it('reads a mixed group’s policy template, a plain group’s template, and none for a launch configuration', () => {
    const mixed = groupSnapshot({
      name: 'web',
      mixedInstances: {
        launchTemplateId: 'lt-m',
        version: '3',
        overrides: [],
        usesAttributeBasedSelection: true,
      },
    });
    expect(launchTemplateOf(mixed)).toEqual({ id: 'lt-m', version: '3', attributeBased: true });
    const plain = groupSnapshot({ name: 'web', launchTemplate: { id: 'lt-1', version: '$Default' } });
    expect(launchTemplateOf(plain)).toEqual({ id: 'lt-1', version: '$Default', attributeBased: false });
    expect(launchTemplateOf(groupSnapshot({ name: 'old' }))).toBeUndefined();
  });
});

describe('runningVersion', () => {
  it('keeps an explicit number and resolves an alias', async () => {
    expect(await runningVersion(launchTemplates, { id: 'lt-1', version: '4' })).toBe('4');
    expect(await runningVersion(launchTemplates, { id: 'lt-1', version: '$Default' })).toBe('6');
  });

  it('reads a missing template version as unknown', async () => {
    expect(await runningVersion(launchTemplates, { id: 'lt-1', version: '$Latest' })).toBeUndefined();
  });

  it('does not read a version whose image was deregistered as unknown', async () => {
    await expect(runningVersion(launchTemplates, { id: 'lt-1', version: '$Broken' })).rejects.toMatchObject({
      name: 'ResourceNotFoundError',
      resourceType: 'image',
    });
  });
});
