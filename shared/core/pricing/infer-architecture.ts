import type { CpuArchitecture, InstanceTypeFacts } from './types';

/** The AMI's architecture, and how it was learned. */
export type ArchitectureFinding =
  | {
      readonly kind: 'known';
      readonly architecture: CpuArchitecture;
      readonly source: 'image' | 'current-instance-types';
    }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * The architecture to match: the image's when it is known; otherwise the one architecture every
 * type in `currentTypes` supports (the AMI already boots on them: only types launching from the
 * template whose image this is, not those with a template of their own), or unknown when they
 * allow more than one or disagree.
 */
export function inferArchitecture(
  imageArchitecture: CpuArchitecture | undefined,
  currentTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): ArchitectureFinding {
  if (imageArchitecture) return { kind: 'known', architecture: imageArchitecture, source: 'image' };
  let common: CpuArchitecture[] | undefined;
  for (const type of currentTypes) {
    const archs = facts.get(type)?.architectures;
    if (!archs) continue;
    common = common ? common.filter((a) => archs.includes(a)) : [...archs];
  }
  if (common?.length === 1 && common[0]) {
    return { kind: 'known', architecture: common[0], source: 'current-instance-types' };
  }
  return {
    kind: 'unknown',
    reason: `the image architecture is unknown and the current types (${currentTypes.join(', ') || 'none'}) do not pin one`,
  };
}
