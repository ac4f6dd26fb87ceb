import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
} from '@aws-sdk/client-ec2';
import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { Ec2InstanceCatalog } from '../../../../shared/aws/ec2-instance-catalog';
import { Ec2ScheduledEvents } from '../../../../shared/aws/ec2-scheduled-events';
import { ResourceNotFoundError } from '../../../../shared/ports/errors';
import { groupImageId } from '../../../../shared/simulation/world/ec2-side-services';
import { INSTANCE_TYPES } from '../../../../shared/simulation/world/instance-types';
import { HOUR, START, sideServicesWorld } from '../../../helpers/side-services-world';

afterEach(() => overrideAwsTransport(undefined));

describe('the simulated EC2', () => {
  it('describes each group launch template version and its AMI architecture', async () => {
    const { clients } = sideServicesWorld();
    const catalog = new Ec2InstanceCatalog(clients.ec2);
    await expect(catalog.launchTemplate('lt-0a1b2c3d4e5f60718', '1')).resolves.toEqual({
      launchTemplateId: 'lt-0a1b2c3d4e5f60718',
      versionNumber: 1,
      instanceType: 'm5.large',
      imageId: groupImageId('web'),
      imageArchitecture: 'x86_64',
      launchRequirements: {
        imageEnaSupport: true,
        imageBootMode: 'uefi-preferred',
        imageVirtualizationType: 'hvm',
      },
      imageBilling: { platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances' },
    });
    await expect(catalog.launchTemplate('lt-0a1b2c3d4e5f60718', '$Latest')).resolves.toMatchObject({
      versionNumber: 1,
    });
    await expect(catalog.launchTemplate('lt-0a1b2c3d4e5f60718', '9')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(catalog.launchTemplate('lt-0ffffffffffffffff', '1')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it('lists the instance types with their architectures, offered in every zone', async () => {
    const { clients } = sideServicesWorld();
    const catalog = new Ec2InstanceCatalog(clients.ec2);
    const types = await catalog.instanceTypes();
    expect(types.map((t) => t.instanceType)).toEqual(Object.keys(INSTANCE_TYPES).sort());
    expect(types.find((t) => t.instanceType === 'm7g.large')).toMatchObject({
      vcpuCount: 2,
      memoryGiB: 8,
      architectures: ['arm64'],
      currentGeneration: true,
    });
    // Every simulated type is EBS-only and has no accelerator, as EC2 describes the real ones.
    for (const t of types) {
      expect(t.instanceStorageSupported).toBe(false);
      expect(t.accelerators).toBeUndefined();
    }
    const offered = await catalog.typesOfferedInEveryZone(['us-east-1a', 'us-east-1b']);
    expect([...offered].sort()).toEqual(Object.keys(INSTANCE_TYPES).sort());
  });

  it('pages DescribeInstanceTypes, DescribeInstanceTypeOfferings and DescribeSpotPriceHistory by MaxResults with a NextToken, as EC2 does', async () => {
    const { clients } = sideServicesWorld();
    type Page = { NextToken?: string } & Record<string, unknown[] | string | undefined>;
    const readAll = async (command: new (input: never) => unknown, member: string, input: object) => {
      const pages: number[] = [];
      let NextToken: string | undefined;
      do {
        const out = (await clients.ec2.send(
          new command({ ...input, MaxResults: 5, ...(NextToken ? { NextToken } : {}) } as never) as never,
        )) as unknown as Page;
        pages.push((out[member] as unknown[]).length);
        NextToken = out.NextToken || undefined;
      } while (NextToken);
      return pages;
    };
    const types = Object.keys(INSTANCE_TYPES).length;
    const first = (await clients.ec2.send(
      new DescribeInstanceTypesCommand({ MaxResults: 5 }),
    )) as unknown as Page;
    expect(first.InstanceTypes).toHaveLength(5);
    expect(first.NextToken).toEqual(expect.any(String));
    const sum = (pages: number[]) => pages.reduce((a, b) => a + b, 0);
    const typePages = await readAll(DescribeInstanceTypesCommand, 'InstanceTypes', {});
    expect(sum(typePages)).toBe(types);
    expect(typePages.slice(0, -1).every((n) => n === 5)).toBe(true);
    const offeringPages = await readAll(DescribeInstanceTypeOfferingsCommand, 'InstanceTypeOfferings', {
      LocationType: 'availability-zone',
      Filters: [{ Name: 'location', Values: ['us-east-1a'] }],
    });
    expect(sum(offeringPages)).toBe(types);
    const pricePages = await readAll(DescribeSpotPriceHistoryCommand, 'SpotPriceHistory', {
      AvailabilityZone: 'us-east-1a',
      ProductDescriptions: ['Linux/UNIX'],
    });
    expect(sum(pricePages)).toBe(types);
    expect(pricePages.length).toBeGreaterThan(1);
    // The API model's range: DescribeInstanceTypes takes 5 to 100.
    await expect(clients.ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 101 }))).rejects.toThrow();
  });

  it('creates a launch template version from a source version with a new instance type', async () => {
    const { world, clients } = sideServicesWorld();
    const applier = new AutoScalingInstanceTypeApplier(clients);
    await expect(
      applier.createLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', 1, 'c5.large', 'cheaper', 'run-1'),
    ).resolves.toBe(2);
    const v2 = await new Ec2InstanceCatalog(clients.ec2).launchTemplate('lt-0a1b2c3d4e5f60718', '2');
    expect(v2).toMatchObject({ instanceType: 'c5.large', imageId: groupImageId('web') });
    await expect(
      applier.createLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', 1, 'x9.huge', 'unknown type', 'run-2'),
    ).rejects.toThrow(/x9\.huge/);
    expect(world.services.ec2.launchTemplateTags('lt-0a1b2c3d4e5f60718')).toEqual({
      'prescale:enabled': 'true',
    });
  });

  it("answers a repeat of a new version's client token and request with that version, and refuses it with another request", async () => {
    const { world, clients } = sideServicesWorld();
    const applier = new AutoScalingInstanceTypeApplier(clients);
    const create = (instanceType: string, clientToken: string) =>
      applier.createLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', 1, instanceType, 'cheaper', clientToken);
    await expect(create('c5.large', 'run-1')).resolves.toBe(2);
    world.services.ec2.addLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', { InstanceType: 'm6i.large' }, 1);
    await expect(create('c5.large', 'run-1')).resolves.toBe(2);
    await expect(create('m6a.large', 'run-1')).rejects.toThrow(/IdempotentParameterMismatch/);
    await expect(create('c5.large', 'run-2')).resolves.toBe(4);
    const versions = await new Ec2InstanceCatalog(clients.ec2).launchTemplate(
      'lt-0a1b2c3d4e5f60718',
      '$Latest',
    );
    expect(versions.versionNumber).toBe(4);
  });

  it('refuses a version past the 10,000 a launch template may have, answering a repeat of the last one', async () => {
    // "up to 10,000 versions per launch template" (EC2 User Guide, launch template restrictions),
    // refused with MaxTemplateVersionLimitExceeded (EC2 API reference, error codes).
    const { world, clients } = sideServicesWorld();
    const applier = new AutoScalingInstanceTypeApplier(clients);
    const create = (clientToken: string) =>
      applier.createLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', 1, 'c5.large', 'cheaper', clientToken);
    for (let version = 2; version < 10_000; version++)
      world.services.ec2.addLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', { InstanceType: 'm6i.large' }, 1);
    await expect(create('run-1')).resolves.toBe(10_000);
    await expect(create('run-2')).rejects.toThrow(/MaxTemplateVersionLimitExceeded/);
    await expect(create('run-1')).resolves.toBe(10_000);
    expect(() =>
      world.services.ec2.addLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', { InstanceType: 'm6i.large' }, 1),
    ).toThrow(expect.objectContaining({ name: 'MaxTemplateVersionLimitExceeded' }));
  });

  it('launches new instances from the explicit launch template version a group update names', async () => {
    const { world } = sideServicesWorld();
    world.services.ec2.addLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', { InstanceType: 'c5.large' }, 1);
    world.autoScaling.updateAutoScalingGroup({
      AutoScalingGroupName: 'web',
      DesiredCapacity: 3,
      LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '2' },
    });
    const out = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: {
        LaunchTemplate: { Version: string };
        Instances: { LaunchTemplate: { Version: string } }[];
      }[];
    };
    const [group] = out.AutoScalingGroups;
    expect(group?.LaunchTemplate.Version).toBe('2');
    expect(group?.Instances.map((i) => i.LaunchTemplate.Version).sort()).toEqual(['1', '1', '2']);
  });

  it('reports scheduled events on the groups instances, mapped to their groups', async () => {
    const { world, clients } = sideServicesWorld();
    const [instance] = world.autoScaling.runningInstances();
    world.services.ec2.scheduleInstanceEvent({
      instanceId: instance?.instanceId as string,
      code: 'system-maintenance',
      notBeforeMs: START + 48 * HOUR,
    });
    const events = await new Ec2ScheduledEvents(clients).upcomingEvents();
    expect(events).toEqual([
      expect.objectContaining({
        instanceId: instance?.instanceId,
        code: 'system-maintenance',
        notBeforeMs: START + 48 * HOUR,
        groupName: 'web',
      }),
    ]);
  });
});
