import { createHash } from 'node:crypto';
import { ACCOUNT, type GroupSpec, launchTemplateIdOf } from './auto-scaling/group-state';
import { INSTANCE_TYPES } from './instance-types';
import type { MetricStore } from './metric-store';
import type { SimulatedAutoScaling } from './simulated-auto-scaling';
import { SimulatedCloudFormation } from './simulated-cloud-formation';
import { type LaunchTemplateData, SimulatedEc2 } from './simulated-ec2';
import { SimulatedIam } from './simulated-iam';
import { SimulatedPricing } from './simulated-pricing';
import { SimulatedScheduler } from './simulated-scheduler';
import { SimulatedStepFunctions } from './simulated-step-functions';
import { SimulatedTimestream } from './simulated-timestream';
import { SimulatedXRay } from './simulated-x-ray';

/** The services around Auto Scaling and CloudWatch that Prescale's handlers call. */
export interface SideServices {
  readonly ec2: SimulatedEc2;
  /** Instance roles and profiles (answers no command: Auto Scaling reads them for `iam:PassRole`). */
  readonly iam: SimulatedIam;
  readonly pricing: SimulatedPricing;
  readonly xray: SimulatedXRay;
  readonly timestream: SimulatedTimestream;
  readonly stepFunctions: SimulatedStepFunctions;
  /** EventBridge Scheduler: the one-time schedules the campaign receiver creates, firing on the clock. */
  readonly scheduler: SimulatedScheduler;
  /** CloudFormation: the stacks a scenario stages, read by the look-ahead remover on a Delete. */
  readonly cloudFormation: SimulatedCloudFormation;
}

/** What the side services read from the world. */
export interface SideServicesWorld {
  readonly region: string;
  readonly autoScaling: SimulatedAutoScaling;
  readonly metrics: MetricStore;
  nowMs(): number;
  /** The group's load-balancer request count metric (X-Ray's request counts). */
  requestCountMetric(groupName: string): Parameters<MetricStore['aggregate']>[0];
}

/** Builds EC2, Pricing, X-Ray, Timestream, Step Functions, Scheduler and CloudFormation over one world's state. */
export function createSideServices(world: SideServicesWorld): SideServices {
  const nowMs = () => world.nowMs();
  const zones = () => [
    ...new Set([
      `${world.region}a`,
      `${world.region}b`,
      `${world.region}c`,
      ...world.autoScaling.availabilityZones(),
    ]),
  ];
  return {
    ec2: new SimulatedEc2({
      region: world.region,
      account: ACCOUNT,
      nowMs,
      instances: () => world.autoScaling.runningInstances(),
      availabilityZones: zones,
    }),
    iam: new SimulatedIam(ACCOUNT),
    pricing: new SimulatedPricing(),
    xray: new SimulatedXRay({
      nowMs,
      requestsServed: (groupName, startMs, endMs) => {
        const periodSeconds = Math.max(60, Math.ceil((endMs - startMs) / 60_000) * 60);
        const sums = world.metrics.aggregate(
          world.requestCountMetric(groupName),
          startMs,
          endMs,
          periodSeconds,
          'Sum',
          world.nowMs(),
        );
        return sums.values.reduce((a, b) => a + b, 0);
      },
    }),
    timestream: new SimulatedTimestream({
      region: world.region,
      nowMs,
      average: (metric, startMs, endMs, periodSeconds) =>
        world.metrics.aggregate(metric, startMs, endMs, periodSeconds, 'Average', world.nowMs()),
    }),
    stepFunctions: new SimulatedStepFunctions(nowMs),
    scheduler: new SimulatedScheduler({ region: world.region, account: ACCOUNT, nowMs }),
    cloudFormation: new SimulatedCloudFormation(),
  };
}

/** The AMI a group's launch template starts with: `ami-0` and 16 hex digits of its name's hash. */
export function groupImageId(groupName: string): string {
  return `ami-0${createHash('sha256').update(groupName).digest('hex').slice(0, 16)}`;
}

/** The resource types a group's launch template tags at launch (its tag specifications). */
export const TAGGED_AT_LAUNCH: readonly string[] = ['instance', 'volume'];

/**
 * Gives a new group its launch template (version 1: the group's instance type and an AMI of the
 * type's architecture, registered in EC2), tagged with the group's tags: Prescale's convention
 * that an enrolled group's template carries its enrolment tag (docs/SECURITY.md). The template
 * tags the instances and volumes it launches (`Name`), and gives its instances the spec's
 * `instanceRole` through an instance profile (created in IAM with the role) when there is one.
 */
export function provisionGroupLaunchTemplate(
  services: Pick<SideServices, 'ec2' | 'iam'>,
  spec: GroupSpec,
): void {
  const architecture = INSTANCE_TYPES[spec.instanceType]?.architecture ?? 'x86_64';
  const imageId = groupImageId(spec.name);
  services.ec2.registerImage({
    imageId,
    name: `${spec.name}-al2023-${architecture}`,
    architecture,
    ...(spec.imagePlatform ? { platform: spec.imagePlatform } : {}),
  });
  services.ec2.createLaunchTemplate({
    id: launchTemplateIdOf({ spec }),
    name: `${spec.name}-lt`,
    tags: spec.tags ?? {},
    data: {
      ImageId: imageId,
      InstanceType: spec.instanceType,
      ...instanceProfileOf(services, spec),
      TagSpecifications: TAGGED_AT_LAUNCH.map((ResourceType) => ({
        ResourceType,
        Tags: [{ Key: 'Name', Value: spec.name }],
      })),
    },
  });
}

/** The template's instance profile for the spec's instance role, created with the role (reused if it exists). */
function instanceProfileOf(services: Pick<SideServices, 'iam'>, spec: GroupSpec): LaunchTemplateData {
  const role = spec.instanceRole;
  if (!role) return {};
  const profile = `${spec.name}-instance-profile`;
  if (!services.iam.hasRole(role.name)) services.iam.createRole(role.name, role.tags);
  return { IamInstanceProfile: { Arn: services.iam.createInstanceProfile(profile, role.name) } };
}

/** Routes one command to the side service that answers it; undefined when none does. */
export function sideServiceFor(
  services: SideServices,
  service: string,
): { answer(commandName: string, input: Record<string, unknown>): unknown } | undefined {
  switch (service) {
    case 'ec2':
      return services.ec2;
    case 'pricing':
      return services.pricing;
    case 'xray':
      return services.xray;
    case 'timestream-query':
      return services.timestream;
    case 'sfn':
      return services.stepFunctions;
    case 'scheduler':
      return services.scheduler;
    case 'cloudformation':
      return services.cloudFormation;
    default:
      return undefined;
  }
}
