import type { GroupSnapshot, MixedInstancesOverride } from '../ports/scaling-target';

/** A launch template and version as a group or an override names it. */
export interface TemplateRef {
  readonly id: string;
  readonly version: string;
}

/**
 * The launch template a type the selection adds to the group would launch from, and the current
 * types that launch from it (what its image is known to boot): the group's own template and the
 * types without a template of their own, or, when every override has one and they all name the
 * same, that one (`overrideTemplate`, which each new override is then given). An override's
 * `LaunchTemplateSpecification` is there because "some instance types might require a launch
 * template with a different AMI. If not provided, Amazon EC2 Auto Scaling uses the launch template
 * that's specified in the LaunchTemplate definition" (Auto Scaling API reference,
 * LaunchTemplateOverrides), so a type with its own template says nothing of the group's image.
 * `unknown` when the overrides name several templates and none launches from the group's.
 */
export type NewTypeLaunch =
  | {
      readonly kind: 'known';
      readonly template: TemplateRef;
      /** The current types launching from `template`; undefined: a single-type group's (its template's type). */
      readonly launchingTypes?: readonly string[];
      /** The template to give each new override (every current one has it of its own). */
      readonly overrideTemplate?: TemplateRef;
    }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'none' };

const sameRef = (a: TemplateRef, b: TemplateRef) => a.id === b.id && a.version === b.version;

/** Whether `o` launches from the group's template `groupRef` (it names none of its own, or that one). */
const launchesFromGroup = (o: MixedInstancesOverride, groupRef: TemplateRef) =>
  !o.launchTemplate || sameRef(o.launchTemplate, groupRef);

/** Where a new type of `group` would launch from (`NewTypeLaunch`). */
export function newTypeLaunchOf(group: GroupSnapshot): NewTypeLaunch {
  const mixed = group.mixedInstances;
  if (!mixed) {
    const ref = group.launchTemplate;
    return ref?.id ? { kind: 'known', template: { id: ref.id, version: ref.version } } : { kind: 'none' };
  }
  const groupRef = { id: mixed.launchTemplateId, version: mixed.version };
  if (!groupRef.id) return { kind: 'none' };
  const typed = mixed.overrides.filter((o): o is MixedInstancesOverride & { instanceType: string } =>
    Boolean(o.instanceType),
  );
  const fromGroup = typed.filter((o) => launchesFromGroup(o, groupRef));
  if (fromGroup.length > 0 || typed.length === 0)
    return { kind: 'known', template: groupRef, launchingTypes: fromGroup.map((o) => o.instanceType) };
  const own: TemplateRef[] = [];
  for (const o of typed) {
    const ref = o.launchTemplate as TemplateRef;
    if (!own.some((r) => sameRef(r, ref))) own.push({ id: ref.id, version: ref.version });
  }
  const [only] = own;
  if (own.length === 1 && only)
    return {
      kind: 'known',
      template: only,
      launchingTypes: typed.map((o) => o.instanceType),
      overrideTemplate: only,
    };
  const named = own.map((r) => `${r.id}:${r.version}`).join(', ');
  return {
    kind: 'unknown',
    reason: `the group's types launch from ${own.length} launch templates of their own (${named}), none from the group's ${groupRef.id}: Prescale cannot tell which AMI a new type would boot, so it recommends no change; give the group's template the image the new types should boot, or have its types share one template`,
  };
}
