import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SFNClient } from '@aws-sdk/client-sfn';
import { XRayClient } from '@aws-sdk/client-xray';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { CloudWatchAlarmStates } from '../../../../shared/aws/cloud-watch-alarm-states';
import { Ec2InstanceCatalog } from '../../../../shared/aws/ec2-instance-catalog';
import { Ec2ScheduledEvents } from '../../../../shared/aws/ec2-scheduled-events';
import { Ec2SpotPriceCatalog } from '../../../../shared/aws/ec2-spot-price-catalog';
import { PricingApiPriceCatalog } from '../../../../shared/aws/pricing-api-price-catalog';
import { XRayDependencyDiscovery } from '../../../../shared/aws/x-ray-dependency-discovery';
import { launchTemplateVersionToken } from '../../../../shared/core/pricing/launch-template-version-token';
import { checkRequest } from '../../../../shared/simulation/aws-checks/validate-request';
import page1 from '../../../fixtures/pricing/get-products-us-east-1-page-1.json';
import page2 from '../../../fixtures/pricing/get-products-us-east-1-page-2.json';

// biome-ignore lint/suspicious/noExplicitAny: stubs of several clients.
type Stub = AwsStub<any, any, any>;

/** Every request `stub` received, as `checkRequest` refuses it (empty when AWS would accept them all). */
function refusals(service: string, stub: Stub): string[] {
  const calls = stub.calls();
  if (calls.length === 0) throw new Error(`the ${service} adapter sent nothing: the test drives nothing`);
  return calls.flatMap((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    const refusal = checkRequest(service, command.constructor.name, command.input);
    return refusal ? [`${command.constructor.name}: ${refusal.code}: ${refusal.message}`] : [];
  });
}

/** The longest group name Auto Scaling allows (255 characters). */
const LONGEST_GROUP = `web-${'x'.repeat(251)}`;

// The handlers the simulated world does not run (instance-type selection, the maintenance scan,
// X-Ray discovery, the rolling-update Lambdas) send these requests through their adapters: each is
// checked here against the API models and their constraints, with the extreme inputs Prescale
// accepts (the longest group name, many zones and types).
describe('requests the adapters send', () => {
  it('pass the EC2 and Price List models from the instance-type selector', async () => {
    const ec2 = mockClient(EC2Client);
    const pricing = mockClient(PricingClient);
    ec2.onAnyCommand().resolves({
      InstanceTypes: [],
      InstanceTypeOfferings: [],
      SpotPriceHistory: [],
      LaunchTemplateVersions: [
        {
          LaunchTemplateId: 'lt-0abc',
          VersionNumber: 7,
          LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0' },
        },
      ],
      Images: [{ ImageId: 'ami-0123456789abcdef0', Architecture: 'arm64' }],
    });
    pricing.onAnyCommand().resolvesOnce(page1).resolves(page2);
    const catalog = new Ec2InstanceCatalog(ec2 as unknown as EC2Client);
    await catalog.instanceTypes();
    await catalog.typesOfferedInEveryZone(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    await catalog.launchTemplate('lt-0abc', '$Default');
    const zones = ['eu-west-1a', 'eu-west-1b'];
    const types = Array.from({ length: 40 }, (_, i) => `m${i}g.large`);
    const spot = new Ec2SpotPriceCatalog(ec2 as unknown as EC2Client, { nowMs: () => 0 });
    for (const os of ['Linux', 'Windows', 'RHEL', 'SUSE'] as const)
      await spot.currentSpotPrices(zones, types, os);
    await new PricingApiPriceCatalog(pricing as unknown as PricingClient).onDemandPrices(
      'us-east-1',
      'Linux',
    );
    expect(refusals('ec2', ec2)).toEqual([]);
    expect(refusals('pricing', pricing)).toEqual([]);
  });

  it('pass the Auto Scaling, EC2 and Step Functions models when the selector applies a choice', async () => {
    const autoScaling = mockClient(AutoScalingClient);
    const ec2 = mockClient(EC2Client);
    const sfn = mockClient(SFNClient);
    autoScaling.onAnyCommand().resolves({});
    ec2.onAnyCommand().resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    sfn.onAnyCommand().resolves({ executionArn: 'arn:exec', startDate: new Date(0) });
    const applier = new AutoScalingInstanceTypeApplier(
      {
        autoScaling: autoScaling as unknown as AutoScalingClient,
        ec2: ec2 as unknown as EC2Client,
        sfn: sfn as unknown as SFNClient,
      },
      'arn:aws:states:eu-west-1:123456789012:stateMachine:prescale-rolling-update',
    );
    await applier.setMixedInstanceOverrides(
      LONGEST_GROUP,
      { id: 'lt-0abc', version: '$Latest' },
      [{ instanceType: 'm7g.large', weightedCapacity: 2 }, { instanceType: 'm7i.large' }],
      { OnDemandBaseCapacity: 1, SpotAllocationStrategy: 'price-capacity-optimized' },
    );
    await applier.createLaunchTemplateVersion(
      'lt-0abc',
      7,
      'm7g.large',
      'Prescale: m7g.large',
      launchTemplateVersionToken(LONGEST_GROUP, 'lt-0abc', Date.UTC(2026, 0, 1)),
    );
    await applier.startRollingUpdate({
      groupName: LONGEST_GROUP,
      launchTemplateId: 'lt-0abc',
      launchTemplateVersion: '8',
      reason: 'instance-type-change',
    });
    expect(refusals('autoscaling', autoScaling)).toEqual([]);
    expect(refusals('ec2', ec2)).toEqual([]);
    expect(refusals('sfn', sfn)).toEqual([]);
  });

  it('pass the EC2, Auto Scaling and CloudWatch models from the maintenance scan, refresh watch and alarm check', async () => {
    const ec2 = mockClient(EC2Client);
    const autoScaling = mockClient(AutoScalingClient);
    const cloudWatch = mockClient(CloudWatchClient);
    ec2.onAnyCommand().resolves({
      InstanceStatuses: Array.from({ length: 60 }, (_, i) => ({
        InstanceId: `i-${String(i).padStart(17, '0')}`,
        Events: [{ Code: 'system-reboot', NotBefore: new Date(86_400_000) }],
      })),
    });
    autoScaling.onAnyCommand().resolves({ AutoScalingInstances: [] });
    cloudWatch.onAnyCommand().resolves({ MetricAlarms: [] });
    await new Ec2ScheduledEvents({
      ec2: ec2 as unknown as EC2Client,
      autoScaling: autoScaling as unknown as AutoScalingClient,
    }).upcomingEvents();
    const alarms = Array.from({ length: 120 }, (_, i) => `web-alarm-${i}`);
    const alarmStates = new CloudWatchAlarmStates(cloudWatch as unknown as CloudWatchClient);
    await alarmStates.alarmsInAlarm(alarms);
    await alarmStates.unknownAlarms(alarms);
    expect(refusals('ec2', ec2)).toEqual([]);
    expect(refusals('autoscaling', autoScaling)).toEqual([]);
    expect(refusals('cloudwatch', cloudWatch)).toEqual([]);
  });

  it('pass the X-Ray model from dependency discovery', async () => {
    const xray = mockClient(XRayClient);
    xray.onAnyCommand().resolves({ Services: [] });
    await new XRayDependencyDiscovery(xray as unknown as XRayClient, {
      serviceToGroup: { 'web-frontend': 'web' },
      xrayGroupName: 'prescale',
    }).discoverDependencies({ startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 2) });
    expect(refusals('xray', xray)).toEqual([]);
  });
});
