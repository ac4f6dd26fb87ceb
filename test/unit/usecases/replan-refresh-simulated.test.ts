import { AutoScalingGroupReader } from '../../../shared/aws/auto-scaling-group-reader';
import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { Ec2InstanceCatalog } from '../../../shared/aws/ec2-instance-catalog';
import { replanRefresh } from '../../../shared/usecases/replan-refresh';
import { validPlan } from '../../fixtures/valid-plan';
import { sideServicesWorld } from '../../helpers/side-services-world';

afterEach(() => overrideAwsTransport(undefined));

const TEMPLATE = 'lt-0a1b2c3d4e5f60718';

/**
 * The re-plan under the lock, on the simulated AWS: a target version deleted after validation is
 * `unusable` (LaunchTemplateVersionUnusable), read through the real adapters, not a fake.
 */
describe('replanRefresh on the simulated AWS', () => {
  it('finds the target version deleted since validation unusable, and a version left usable', async () => {
    const { world, clients } = sideServicesWorld();
    const ec2 = world.services.ec2;
    ec2.addLaunchTemplateVersion(TEMPLATE, { InstanceType: 'm6i.large' }, 1);
    ec2.addLaunchTemplateVersion(TEMPLATE, { InstanceType: 'c5.large' }, 1);
    const plan = (target: string) =>
      validPlan({
        launchTemplateId: TEMPLATE,
        targetVersion: target,
        previousVersion: '1',
        desiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE, Version: target } },
        revertDesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: TEMPLATE, Version: '1' } },
      });
    const [group] = await new AutoScalingGroupReader(clients.autoScaling).describeGroups({ names: ['web'] });
    if (!group) throw new Error('no group web');
    const deps = { launchTemplates: new Ec2InstanceCatalog(clients.ec2) };
    expect(await replanRefresh(deps, plan('3'), group)).toMatchObject({ kind: 'current' });
    ec2.deleteLaunchTemplateVersion(TEMPLATE, 3);
    expect(await replanRefresh(deps, plan('3'), group)).toMatchObject({
      kind: 'unusable',
      reason: expect.stringContaining('3'),
    });
    expect(await replanRefresh(deps, plan('2'), group)).toMatchObject({ kind: 'current' });
  });
});
