/** Input of {@link estimateRefreshDuration}. */
export interface RefreshDurationInput {
  /** Instances the refresh replaces (the group's desired capacity and warm pool, `refreshedInstances`); ≥ 0. */
  readonly instances: number;
  /** Seconds a new instance warms up before it counts as healthy. */
  readonly instanceWarmupSeconds: number;
  /** Percentage of desired capacity that must stay healthy, 0–100. */
  readonly minHealthyPercentage: number;
  /** Percentage of desired capacity that may be in service or pending, 100–200. */
  readonly maxHealthyPercentage: number;
  /** Seconds from launch request to an instance starting its warmup. @default 120 */
  readonly launchSeconds?: number;
  /** Checkpoints (percent replaced) at which the refresh pauses. @default [] */
  readonly checkpointPercentages?: readonly number[];
  /** Pause at each checkpoint; Auto Scaling's default is one hour. @default 3600 */
  readonly checkpointDelaySeconds?: number;
  /** Wait after the last replacement (`BakeTime`, status Baking) before the refresh is complete. @default 0 */
  readonly bakeTimeSeconds?: number;
}

/** How long a refresh should take and how it batches replacements. */
export interface RefreshDurationEstimate {
  readonly durationSeconds: number;
  /** Instances replaced at once. */
  readonly batchSize: number;
  readonly batches: number;
}

/**
 * Estimates an instance refresh's duration: Auto Scaling replaces instances in batches of the room
 * between MinHealthyPercentage and MaxHealthyPercentage of desired capacity (at least one
 * instance), and each batch takes a launch plus the warmup. Checkpoints below 100 % add their delay,
 * and the bake time follows the last batch (the refresh is active, and can be rolled back, until it ends).
 * An estimate for choosing a window, not a promise: slow health checks make real refreshes longer.
 */
export function estimateRefreshDuration(input: RefreshDurationInput): RefreshDurationEstimate {
  const instances = Math.max(0, Math.ceil(input.instances));
  const room = Math.floor(
    (instances * (input.maxHealthyPercentage - input.minHealthyPercentage)) / 100 + 1e-9,
  );
  const batchSize = Math.max(1, room);
  const bakeSeconds = input.bakeTimeSeconds ?? 0;
  if (instances === 0) return { durationSeconds: bakeSeconds, batchSize, batches: 0 };
  const batches = Math.ceil(instances / batchSize);
  const perBatchSeconds = (input.launchSeconds ?? 120) + input.instanceWarmupSeconds;
  const pauses = (input.checkpointPercentages ?? []).filter((p) => p < 100).length;
  const durationSeconds =
    batches * perBatchSeconds + pauses * (input.checkpointDelaySeconds ?? 3600) + bakeSeconds;
  return { durationSeconds, batchSize, batches };
}
