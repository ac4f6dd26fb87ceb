import type { AutoScalingContext } from './auto-scaling-context';
import type { SimGroup } from './group-state';
import { architectureMismatch, templateOfType } from './launch-architecture';
import { launchOrder } from './launched-instance-type';

/** What a new launch does: an instance of a type in a zone, or a failure with EC2's reason. */
export type LaunchChoice =
  | {
      readonly kind: 'launch';
      readonly instanceType: string;
      readonly az: string;
      /** EC2's refusal in the zone tried first when the type is not offered there (AWS then tries another). */
      readonly refusedInFirstZone?: string;
    }
  | { readonly kind: 'failed'; readonly statusReason: string; readonly statusMessage: string };

/** EC2's refusal of a type in a zone that does not offer it (as scaling activities report it). */
function notOfferedMessage(instanceType: string, zone: string, offered: readonly string[]): string {
  const retry = offered.length
    ? ` Please retry your request by not specifying an Availability Zone or choosing ${[...offered].sort().join(', ')}.`
    : '';
  return `Unsupported - Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${zone}).${retry} Launching EC2 instance failed.`;
}

/**
 * The type and zone of the group's next new instance: its types in launch order, skipping one
 * EC2 refuses for its AMI's architecture, one the fault hook (`GroupSpec.launchFails`) has no
 * capacity for, and one offered in none of the group's zones; the zone is the next in round robin
 * that offers the type (a launch in a zone without it fails and Auto Scaling tries another).
 */
export function chooseLaunch(ctx: AutoScalingContext, group: SimGroup): LaunchChoice {
  const types = launchOrder(group, ctx.templateData);
  const zones = ctx.availabilityZones(group);
  const first = ctx.azFor(group, group.instances.length);
  const rotated = [...zones.slice(zones.indexOf(first)), ...zones.slice(0, zones.indexOf(first))];
  let mismatch: string | undefined;
  let unoffered: string | undefined;
  for (const type of types) {
    const why = architectureMismatch(ctx, templateOfType(group, group.mixed, type), type);
    if (why) {
      mismatch ??= why;
      continue;
    }
    if (group.spec.launchFails?.(ctx.nowMs, type)) continue;
    const offered = rotated.filter((z) => ctx.offeredIn(type, z));
    const az = offered[0];
    if (az === undefined) {
      unoffered ??= notOfferedMessage(type, first, []);
      continue;
    }
    return {
      kind: 'launch',
      instanceType: type,
      az,
      ...(az !== first ? { refusedInFirstZone: notOfferedMessage(type, first, offered) } : {}),
    };
  }
  if (mismatch)
    return {
      kind: 'failed',
      statusReason: mismatch,
      statusMessage: `${mismatch} Launching EC2 instance failed.`,
    };
  if (unoffered)
    return {
      kind: 'failed',
      statusReason: 'Could not launch On-Demand Instances.',
      statusMessage: unoffered,
    };
  return {
    kind: 'failed',
    statusReason: 'Could not launch On-Demand Instances.',
    statusMessage: `InsufficientInstanceCapacity - We currently do not have sufficient ${types.join(', ')} capacity in the Availability Zone you requested. Launching EC2 instance failed.`,
  };
}
