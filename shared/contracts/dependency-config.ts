import * as z from 'zod';
import { validateDependencyGraph } from '../core/dependencies/validate-dependency-graph';
import { autoScalingGroupNameSchema } from './group-name';

/**
 * The `dependencies` block of the user configuration: which enrolled groups call which, declared
 * by hand and optionally discovered from X-Ray. An edge `{ from: 'web', to: 'api' }` says web calls
 * api, so api's load follows web's. See docs/dependencies-graph.md.
 */

// Auto Scaling's own rule: an edge may name any group, a tag-enrolled one included.
const groupName = autoScalingGroupNameSchema;

/** One declared dependency: `from` (upstream, the caller) → `to` (downstream, the callee). */
export const dependencyEdgeSchema = z.object({
  from: groupName,
  to: groupName,
  /**
   * Downstream load per unit of upstream load, in the two groups' load units (0.5: each request
   * unit on web puts half a unit on api). @default learned from both groups' history
   */
  loadRatio: z.number().nonnegative().max(1_000_000).optional(),
});

/** Discovery of edges from the X-Ray service graph. */
export const xrayDependencyDiscoverySchema = z.object({
  enabled: z.boolean().default(false),
  /** X-Ray service name (as in the service map) → Auto Scaling group name. Others are ignored. */
  serviceToGroup: z.record(z.string().min(1), groupName).default({}),
  /** How far back the service graph is read. X-Ray keeps trace data for 30 days. */
  lookbackHours: z.number().positive().max(720).default(24),
  /** Restrict the graph to one X-Ray group. @default the whole account's graph */
  xrayGroupName: z.string().min(1).max(32).optional(),
  /** Discovered edges with fewer requests over the lookback are ignored. */
  minRequestCount: z.number().int().min(1).default(1),
});

/** The `dependencies` configuration block. */
export const dependencyConfigSchema = z
  .object({
    edges: z.array(dependencyEdgeSchema).max(500).default([]),
    xray: xrayDependencyDiscoverySchema.optional(),
    /**
     * Least r² (0–1) a learned load ratio's fit needs for the edge to carry load: an edge without
     * a declared `loadRatio` (every discovered edge) whose fit explains less of the downstream's
     * variance propagates nothing, with a note. 0.25 (correlation 0.5): a fit on unrelated load
     * over a day of 5-minute samples stays near 1/288 ≈ 0.003, and each of up to three callers
     * sharing a downstream equally still passes (about 1/3 each). 0 keeps every rising fit.
     */
    minLearnedRatioRSquared: z.number().min(0).max(1).default(0.25),
  })
  .superRefine((config, ctx) => {
    // Here: self-edges, duplicates, cycles. Whether a group is enrolled: `checkEnrolledNames` with
    // names only, the dispatch each tick with a tag (names known only at run time).
    const named = config.edges.flatMap((e) => [e.from, e.to]);
    const graph = validateDependencyGraph(named, config.edges);
    if (graph.kind === 'invalid') {
      for (const problem of graph.problems) {
        ctx.addIssue({
          code: 'custom',
          path: 'edgeIndex' in problem ? ['edges', problem.edgeIndex] : ['edges'],
          message: problem.message,
        });
      }
    }
    if (config.xray?.enabled && Object.keys(config.xray.serviceToGroup).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['xray', 'serviceToGroup'],
        message:
          'expected at least one X-Ray service name mapped to a group when xray.enabled is true (for example { "web-frontend": "web-asg" })',
      });
    }
  });

/** The default when the block is absent: no dependencies, no discovery. */
export const DEFAULT_DEPENDENCY_CONFIG = dependencyConfigSchema.parse({});

/** The block as the user writes it (defaults optional). */
export type DependencyConfigInput = z.input<typeof dependencyConfigSchema>;
/** The validated block with every default filled in. */
export type DependencyConfig = z.output<typeof dependencyConfigSchema>;
