import { ResourceNotFoundError, TransientDependencyError } from '../../../shared/ports/errors';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { replanRefresh } from '../../../shared/usecases/replan-refresh';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { validPlan } from '../../fixtures/valid-plan';

const plan = validPlan({
  previousVersion: '6',
  desiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '7' } },
  revertDesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '6' } },
  validatedAtMs: Date.parse('2026-03-02T01:00:00Z'),
});

/** Launch template versions: `$Default` is `defaultVersion`; an unknown version is not found. */
function templates(defaultVersion: string | undefined = '6') {
  return {
    launchTemplates: {
      launchTemplate: async (id: string, version: string) => {
        const resolved = version === '$Default' ? defaultVersion : version;
        if (resolved === undefined)
          throw new ResourceNotFoundError('launch template version', `${id}:${version}`);
        return { launchTemplateId: id, versionNumber: Number(resolved) };
      },
    },
  };
}

const group = (overrides: Partial<GroupSnapshot> = {}) =>
  groupSnapshot({ name: 'web', launchTemplate: { id: 'lt-1', version: '6' }, ...overrides });

describe('replanRefresh', () => {
  it('keeps a plan whose group did not change as it is', async () => {
    expect(await replanRefresh(templates(), plan, group())).toEqual({ kind: 'current', plan });
  });

  it('restates a group that turned into a mixed-instances group, and says so', async () => {
    const mixed = group({
      launchTemplate: undefined,
      mixedInstances: {
        launchTemplateId: 'lt-1',
        version: '6',
        overrides: [{ instanceType: 'm7i.large', weightedCapacity: 2 }],
        usesAttributeBasedSelection: false,
      },
    });
    const replanned = await replanRefresh(templates(), plan, mixed);
    expect(replanned).toMatchObject({
      kind: 'current',
      plan: {
        desiredConfiguration: {
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1', Version: '7' },
              Overrides: [{ InstanceType: 'm7i.large', WeightedCapacity: '2' }],
            },
          },
        },
        revertDesiredConfiguration: {
          MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { Version: '6' } } },
        },
        nativeRollback: true,
      },
    });
    expect((replanned as { plan: { notes: string[] } }).plan.notes).toEqual([
      'the group changed since the update was validated at 2026-03-02T01:00:00.000Z: the refresh keeps it as it is now (version 7, overrides m7i.large, InstancesDistribution none; it was launch template version 7) and changes only its launch template version',
    ]);
  });

  it('turns native rollback off for a group that names the same version by an alias now', async () => {
    const replanned = await replanRefresh(
      templates('6'),
      plan,
      group({ launchTemplate: { id: 'lt-1', version: '$Default' } }),
    );
    expect(replanned).toMatchObject({
      kind: 'current',
      plan: { nativeRollback: false, preferences: { AutoRollback: false } },
    });
    expect((replanned as { plan: { notes: string[] } }).plan.notes.at(-1)).toContain(
      'the group names its version as $Default now: no native rollback',
    );
  });

  it('goes on when an alias cannot be resolved now, as validation does', async () => {
    const replanned = await replanRefresh(
      templates(undefined),
      plan,
      group({ launchTemplate: { id: 'lt-1', version: '$Default' } }),
    );
    expect(replanned.kind).toBe('current');
  });

  it.each([
    [
      'another version',
      group({ launchTemplate: { id: 'lt-1', version: '8' } }),
      'group web runs version 8 of lt-1 now, not version 6',
    ],
    [
      'an alias that moved',
      group({ launchTemplate: { id: 'lt-1', version: '$Default' } }),
      'group web runs version 9 ($Default) of lt-1 now',
    ],
    [
      'another launch template',
      group({ launchTemplate: { id: 'lt-2', version: '6' } }),
      'launches from launch template lt-2 now, not lt-1',
    ],
    [
      'a launch configuration',
      group({ launchTemplate: undefined }),
      'launches from no launch template now, not from lt-1',
    ],
  ])('refuses a group on %s', async (_what, changed, why) => {
    const replanned = await replanRefresh(templates('9'), plan, changed);
    expect(replanned).toMatchObject({ kind: 'changed', reason: expect.stringContaining(why) });
    expect((replanned as { reason: string }).reason).toContain(
      '(the update was validated at 2026-03-02T01:00:00.000Z on the group as it was then): the update to version 7 was not started',
    );
  });

  /** Versions as `templates()`, but `version` is described with `error` (gone, or its image gone). */
  const failing = (version: string, error: ResourceNotFoundError) => ({
    launchTemplates: {
      launchTemplate: async (id: string, asked: string) => {
        if (asked === version) throw error;
        return templates().launchTemplates.launchTemplate(id, asked);
      },
    },
  });
  const imageGone = new ResourceNotFoundError('image', 'ami-gone');

  it.each([
    [
      'the target version, whose image was deregistered',
      failing('7', imageGone),
      'version 7 of launch template lt-1 exists, but its image ami-gone was not found (deregistered, or not shared with this account)',
    ],
    [
      'the target version, deleted',
      failing('7', new ResourceNotFoundError('launch template version', 'lt-1:7')),
      'launch template lt-1 has no version 7',
    ],
  ])('refuses, as unusable, %s', async (_what, deps, why) => {
    const replanned = await replanRefresh(
      deps,
      plan,
      group({ launchTemplate: { id: 'lt-1', version: '$Default' } }),
    );
    expect(replanned).toEqual({
      kind: 'unusable',
      reason: `${why} (it did when the update was validated at 2026-03-02T01:00:00.000Z): the update to version 7 was not started and nothing was changed; fix the launch template and request it again`,
    });
  });

  it("goes on to the target when the group's version launches an image deregistered since, as validation allows", async () => {
    const replanned = await replanRefresh(
      failing('$Default', imageGone),
      plan,
      group({ launchTemplate: { id: 'lt-1', version: '$Default' } }),
    );
    expect(replanned).toMatchObject({
      kind: 'current',
      plan: {
        targetVersion: '7',
        desiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '7' } },
        nativeRollback: false,
      },
    });
    const { plan: replannedPlan } = replanned as { plan: typeof plan };
    expect(replannedPlan.previousVersion).toBeUndefined();
    expect(replannedPlan.revertDesiredConfiguration).toBeUndefined();
    expect(replannedPlan.notes).toContain(
      "the group's version $Default (version 6 when validated) cannot be read now (gone, or its image deregistered); a revert is impossible",
    );
  });

  it('refuses, as unusable, an attribute-based group whose alias no longer resolves: its rollback points the group back at that version', async () => {
    const fallback = validPlan({ path: 'fallback', previousVersion: '6', validatedAtMs: plan.validatedAtMs });
    const attributeBased = group({
      launchTemplate: undefined,
      mixedInstances: {
        launchTemplateId: 'lt-1',
        version: '$Default',
        overrides: [],
        usesAttributeBasedSelection: true,
      },
    });
    expect(await replanRefresh(failing('$Default', imageGone), fallback, attributeBased)).toEqual({
      kind: 'unusable',
      reason:
        'group web selects instance types by attributes, so a rollback needs the version it runs, and $Default no longer resolves (version 6 gone, or its image deregistered) (it did when the update was validated at 2026-03-02T01:00:00.000Z): the update to version 7 was not started and nothing was changed; fix the launch template and request it again',
    });
  });

  it("goes on without reading the group's version when validation could not resolve it either", async () => {
    const { previousVersion: _, ...unresolved } = plan;
    const replanned = await replanRefresh(
      failing('$Default', imageGone),
      unresolved,
      group({ launchTemplate: { id: 'lt-1', version: '$Default' } }),
    );
    expect(replanned.kind).toBe('current');
  });

  it('lets a transient EC2 failure through, for the state to retry', async () => {
    const failing = {
      launchTemplates: {
        launchTemplate: async () => {
          throw new TransientDependencyError('EC2', 'DescribeLaunchTemplateVersions');
        },
      },
    };
    await expect(
      replanRefresh(failing, plan, group({ launchTemplate: { id: 'lt-1', version: '$Default' } })),
    ).rejects.toThrow(TransientDependencyError);
  });
});
