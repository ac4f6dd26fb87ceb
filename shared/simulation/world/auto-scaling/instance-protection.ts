import { SimulatedAwsError } from '../simulated-aws-error';
import type { SimGroup } from './group-state';

/** SetInstanceProtection takes at most this many instance IDs. */
const INSTANCES_PER_CALL = 50;

/** SetInstanceProtection input, as the SDK sends it. */
export interface SetInstanceProtectionInput {
  AutoScalingGroupName?: string;
  InstanceIds?: string[];
  ProtectedFromScaleIn?: boolean;
}

/**
 * SetInstanceProtection: instances protected from scale in are not terminated when the group
 * scales in, and an instance refresh treats them by its `ScaleInProtectedInstances` preference.
 * @throws SimulatedAwsError ValidationError outside 1–50 IDs, without ProtectedFromScaleIn, or for an
 * instance that is not in the group.
 */
export function setInstanceProtection(group: SimGroup, input: SetInstanceProtectionInput): void {
  const ids = input.InstanceIds ?? [];
  if (ids.length < 1 || ids.length > INSTANCES_PER_CALL)
    throw new SimulatedAwsError(
      'ValidationError',
      `1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length between 1 and ${INSTANCES_PER_CALL}`,
    );
  if (input.ProtectedFromScaleIn === undefined)
    throw new SimulatedAwsError('ValidationError', 'ProtectedFromScaleIn is required.');
  const byId = new Map(group.instances.map((i) => [i.id, i]));
  for (const id of ids) {
    if (!byId.has(id))
      throw new SimulatedAwsError(
        'ValidationError',
        `The instance ${id} is not part of Auto Scaling group ${group.spec.name}.`,
      );
  }
  for (const id of ids) {
    const instance = byId.get(id);
    if (instance) instance.protectedFromScaleIn = input.ProtectedFromScaleIn;
  }
}
