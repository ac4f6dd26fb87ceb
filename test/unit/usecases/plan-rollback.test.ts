import { ResourceNotFoundError, TransientDependencyError } from '../../../shared/ports/errors';
import type { LaunchTemplateFacts } from '../../../shared/ports/instance-catalog';
import type { CurrentLaunchTemplate } from '../../../shared/usecases/group-launch-template';
import { planRollback } from '../../../shared/usecases/plan-rollback';

const versions: Record<string, LaunchTemplateFacts> = {
  '6': { launchTemplateId: 'lt-1', versionNumber: 6, imageId: 'ami-6' },
  '7': { launchTemplateId: 'lt-1', versionNumber: 7, imageId: 'ami-7' },
  '8': { launchTemplateId: 'lt-1', versionNumber: 8, imageId: 'resolve:ssm:/ami/latest' },
};

/** Launch template lt-1 with versions 6–8 ($Latest is 7, $Default is 6); any other id is missing. */
const launchTemplates = {
  launchTemplate: async (id: string, version: string): Promise<LaunchTemplateFacts> => {
    const facts =
      id === 'lt-1'
        ? versions[version === '$Latest' ? '7' : version === '$Default' ? '6' : version]
        : undefined;
    if (!facts) throw new ResourceNotFoundError('launch template version', `${id}:${version}`);
    return facts;
  },
};

async function plan(template: Partial<CurrentLaunchTemplate>) {
  const notes: string[] = [];
  const result = await planRollback(
    launchTemplates,
    'web',
    { id: 'lt-1', version: '6', attributeBased: false, ...template },
    notes,
  );
  return { result, notes };
}

describe('planRollback', () => {
  it('lets Auto Scaling roll back when the group runs an explicit version with an AMI ID', async () => {
    expect(await plan({ version: '6' })).toEqual({
      result: { path: 'native', nativeRollback: true, previousVersion: '6' },
      notes: [],
    });
  });

  it('gives up native rollback when the current version takes its AMI from an SSM parameter', async () => {
    expect(await plan({ version: '8' })).toEqual({
      result: { path: 'native', nativeRollback: false, previousVersion: '8' },
      notes: [
        'the version a rollback returns to (8) takes its AMI from an SSM parameter: no native rollback; cancel and revert instead',
      ],
    });
  });

  it.each([
    ['$Latest', '7'],
    ['$Default', '6'],
  ])('resolves a group running %s to version %s, without native rollback', async (alias, number) => {
    expect(await plan({ version: alias })).toEqual({
      result: { path: 'native', nativeRollback: false, previousVersion: number },
      notes: [
        `the group runs ${alias}, resolved to version ${number}`,
        `the group runs ${alias}: no native rollback; cancel and revert instead`,
      ],
    });
  });

  it('keeps an explicit version that could not be read as the one to revert to, without native rollback', async () => {
    expect(await plan({ version: '9' })).toEqual({
      result: { path: 'native', nativeRollback: false, previousVersion: '9' },
      notes: [
        "the group's version 9 could not be read; no native rollback",
        'the group runs 9: no native rollback; cancel and revert instead',
      ],
    });
  });

  it('leaves the version to revert to unknown when an alias could not be resolved', async () => {
    expect(await plan({ id: 'lt-gone', version: '$Latest' })).toEqual({
      result: { path: 'native', nativeRollback: false, previousVersion: undefined },
      notes: [
        "the group's version $Latest could not be resolved; a revert is impossible",
        'the group runs $Latest: no native rollback; cancel and revert instead',
      ],
    });
  });

  it('takes the fallback path for attribute-based selection, reverting by version', async () => {
    expect(await plan({ version: '$Default', attributeBased: true })).toEqual({
      result: { path: 'fallback', nativeRollback: false, previousVersion: '6' },
      notes: [
        'the group runs $Default, resolved to version 6',
        'attribute-based instance selection: refresh without a desired configuration, revert by version',
      ],
    });
    expect((await plan({ version: '6', attributeBased: true })).result).toEqual({
      path: 'fallback',
      nativeRollback: false,
      previousVersion: '6',
    });
  });

  it('refuses attribute-based selection when the version to revert to cannot be resolved', async () => {
    const { result } = await plan({ id: 'lt-gone', version: '$Latest', attributeBased: true });
    expect(result).toEqual({
      outcome: 'rejected',
      reason:
        'group web selects instance types by attributes, so the previous version must be recorded to roll back, and $Latest could not be resolved',
    });
  });

  it('lets an error other than a missing version propagate', async () => {
    const failing = {
      launchTemplate: async (): Promise<LaunchTemplateFacts> => {
        throw new TransientDependencyError('EC2', 'DescribeLaunchTemplateVersions');
      },
    };
    await expect(
      planRollback(failing, 'web', { id: 'lt-1', version: '6', attributeBased: false }, []),
    ).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
