import type * as z from 'zod';

/** What {@link checkEnrolledNames} reads of the configuration as parsed. */
export interface EnrolledNamesConfig {
  readonly groups: { readonly names: readonly string[]; readonly tag?: unknown };
  readonly groupOverrides: Readonly<Record<string, unknown>>;
  readonly dependencies: {
    readonly edges: readonly { readonly from: string; readonly to: string }[];
    readonly xray?:
      | { readonly enabled: boolean; readonly serviceToGroup: Readonly<Record<string, string>> }
      | undefined;
  };
}

/** One place the configuration names a group, and what naming one not enrolled would do. */
interface GroupNameUse {
  readonly path: readonly (string | number)[];
  readonly groupName: string;
  readonly unused: string;
}

/**
 * With groups enrolled by name only (no `groups.tag`), every other place naming a group must name
 * one of `groups.names`: an override's key, each end of a dependency edge, each group an X-Ray
 * service maps to. No other group is enrolled, so another name (a misspelling) would be dropped at
 * run time without a word. With a tag the enrolled names are known only at run time, where the
 * dispatch reports the dependencies it leaves out (`dispatchScalingRun`).
 */
export function checkEnrolledNames(config: EnrolledNamesConfig, ctx: z.RefinementCtx): void {
  if (config.groups.tag !== undefined) return;
  const enrolled = new Set(config.groups.names);
  const uses: GroupNameUse[] = [
    ...Object.keys(config.groupOverrides).map((groupName) => ({
      path: ['groupOverrides', groupName],
      groupName,
      unused: 'this override would never apply',
    })),
    ...config.dependencies.edges.flatMap((edge, i) =>
      (['from', 'to'] as const).map((end) => ({
        path: ['dependencies', 'edges', i, end],
        groupName: edge[end],
        unused: `this edge (${edge.from} → ${edge.to}) would be left out of every run`,
      })),
    ),
    // Read only while discovery is on (the dispatcher's rule): a map kept while it is off names nothing.
    ...Object.entries(xrayMapInUse(config)).map(([service, groupName]) => ({
      path: ['dependencies', 'xray', 'serviceToGroup', service],
      groupName,
      unused: `the edges X-Ray shows for ${service} would be left out of every run`,
    })),
  ];
  for (const use of uses.filter((u) => !enrolled.has(u.groupName)))
    ctx.addIssue({
      code: 'custom',
      path: [...use.path],
      message: `expected one of the enrolled groups (${config.groups.names.join(', ')}): without groups.tag no other group is enrolled, so ${use.unused}`,
    });
}

/** The X-Ray service map the runs read: none while discovery is off. */
function xrayMapInUse(config: EnrolledNamesConfig): Readonly<Record<string, string>> {
  const xray = config.dependencies.xray;
  return xray?.enabled ? xray.serviceToGroup : {};
}
