import { launchIncompatibility } from './launch-compatibility';
import type { CpuArchitecture, InstanceTypeFacts, LaunchRequirements } from './types';

/** The result of the last safety check before a change is applied. */
export type ApplicabilityCheck =
  | { readonly kind: 'ok' }
  | { readonly kind: 'unsafe'; readonly reasons: readonly string[] };

/**
 * Checks that every type about to be applied is offered in every zone of the group, runs the
 * AMI's architecture and can launch from the template and image (`launchIncompatibility`). Called right before applying, on freshly read offerings, so a type withdrawn
 * from a zone since the selection is caught.
 */
export function checkApplicable(input: {
  readonly instanceTypes: readonly string[];
  readonly zones: readonly string[];
  readonly offeredInEveryZone: ReadonlySet<string>;
  readonly architecture: CpuArchitecture;
  readonly facts: ReadonlyMap<string, InstanceTypeFacts>;
  /** What the launch template and its image ask of a type besides its architecture. */
  readonly launchRequirements?: LaunchRequirements;
}): ApplicabilityCheck {
  const reasons: string[] = [];
  if (input.instanceTypes.length === 0) reasons.push('no instance type to apply');
  if (input.zones.length === 0) reasons.push('the group has no availability zones');
  for (const type of input.instanceTypes) {
    if (!input.offeredInEveryZone.has(type)) {
      reasons.push(`${type} is not offered in every zone of the group (${input.zones.join(', ')})`);
    }
    const facts = input.facts.get(type);
    if (!facts) reasons.push(`${type} is unknown to EC2`);
    else if (!facts.architectures.includes(input.architecture)) {
      reasons.push(`${type} supports ${facts.architectures.join('/')}, the AMI is ${input.architecture}`);
    } else {
      const why = launchIncompatibility(facts, input.launchRequirements);
      if (why) reasons.push(why);
    }
  }
  return reasons.length === 0 ? { kind: 'ok' } : { kind: 'unsafe', reasons };
}
