import { sideServicesWorld } from '../../../helpers/side-services-world';

const TEMPLATE = 'lt-0a1b2c3d4e5f60718';
const missingVersion = {
  name: 'ValidationError',
  message: expect.stringMatching(/launch template version \d+ of launch template lt-\w+ does not exist/),
};

/** The simulated Auto Scaling refuses a launch template version its template does not have, as AWS does. */
describe('the simulated Auto Scaling and launch template versions that do not exist', () => {
  function templateWorld() {
    const { world } = sideServicesWorld();
    const update = (version: string, templateId?: string) =>
      world.autoScaling.updateAutoScalingGroup({
        AutoScalingGroupName: 'web',
        LaunchTemplate: { ...(templateId ? { LaunchTemplateId: templateId } : {}), Version: version },
      });
    const refresh = (version: string) =>
      world.autoScaling.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE, Version: version } },
      });
    const groupVersion = () =>
      (
        world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
          AutoScalingGroups: { LaunchTemplate: { Version: string } }[];
        }
      ).AutoScalingGroups[0]?.LaunchTemplate.Version;
    return { world, update, refresh, groupVersion };
  }

  it('refuses an update or a refresh to a version never created, and leaves the group as it was', () => {
    const { update, refresh, groupVersion } = templateWorld();
    expect(() => update('7')).toThrow(expect.objectContaining(missingVersion));
    expect(() => update('7', TEMPLATE)).toThrow(expect.objectContaining(missingVersion));
    expect(() => refresh('7')).toThrow(expect.objectContaining(missingVersion));
    expect(groupVersion()).toBe('1');
    expect(() => update('1', TEMPLATE)).not.toThrow();
    expect(() => update('$Latest')).not.toThrow();
  });

  it('refuses a deleted version, takes the ones left, and numbers a new version past the deleted one', () => {
    const { world, update, refresh, groupVersion } = templateWorld();
    const ec2 = world.services.ec2;
    ec2.addLaunchTemplateVersion(TEMPLATE, { InstanceType: 'c5.large' }, 1);
    ec2.addLaunchTemplateVersion(TEMPLATE, { InstanceType: 'm6i.large' }, 1);
    ec2.deleteLaunchTemplateVersion(TEMPLATE, 2);
    expect(() => update('2')).toThrow(expect.objectContaining(missingVersion));
    expect(() => refresh('2')).toThrow(expect.objectContaining(missingVersion));
    expect(groupVersion()).toBe('1');
    expect(ec2.launchTemplateData({ LaunchTemplateId: TEMPLATE }, '3')?.InstanceType).toBe('m6i.large');
    expect(ec2.addLaunchTemplateVersion(TEMPLATE, { InstanceType: 'c5.large' }, 3)).toBe(4);
    ec2.deleteLaunchTemplateVersion(TEMPLATE, 4);
    // $Latest is the newest version left.
    expect(ec2.launchTemplateData({ LaunchTemplateId: TEMPLATE }, '$Latest')?.InstanceType).toBe('m6i.large');
    expect(() => refresh('3')).not.toThrow();
  });

  it('deletes no default version nor one that does not exist, as DeleteLaunchTemplateVersions does', () => {
    const { world } = templateWorld();
    const ec2 = world.services.ec2;
    expect(() => ec2.deleteLaunchTemplateVersion(TEMPLATE, 1)).toThrow(
      expect.objectContaining({ name: 'unexpectedError' }),
    );
    expect(() => ec2.deleteLaunchTemplateVersion(TEMPLATE, 9)).toThrow(
      expect.objectContaining({ name: 'launchTemplateVersionDoesNotExist' }),
    );
    expect(ec2.launchTemplateData({ LaunchTemplateId: TEMPLATE }, '1')).toBeDefined();
  });
});
