import * as z from 'zod';

/**
 * The update plan's dependency discovery: what "Read discovered dependencies" (Lambda
 * `read-plan-discovery`) read of the X-Ray discovery the scaling loop stored, before "Compute plan",
 * which plans with it and so bundles no DynamoDB client. Only the edges between two of the plan's
 * groups: the rest of the account's graph would not fit in the execution's state.
 * See docs/rolling-updates.md, "Update plans".
 */
export const planDiscoverySchema = z.union([
  z.object({
    discoveredAtMs: z.number(),
    edges: z.array(z.object({ from: z.string(), to: z.string(), requestCount: z.number() })),
  }),
  /** No discovery stored. */
  z.object({}).strict(),
]);
export type PlanDiscovery = z.output<typeof planDiscoverySchema>;

/** Input of "Read discovered dependencies": the raw execution input (the plan request as sent). */
export const readPlanDiscoveryEventSchema = z.object({ request: z.unknown() });
