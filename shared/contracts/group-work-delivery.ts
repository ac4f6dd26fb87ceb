/**
 * How the work queue delivers group work, as `ScalingLoop` deploys it and the simulation delivers
 * it. One delivery: a tick's work is worthless once the next tick has started (it plans from
 * fresher history), so a failed message goes to the dead-letter queue, where its alarm shows it,
 * and the next tick runs the group again.
 */
export const GROUP_WORK_DELIVERY = {
  /** The event source mapping's BatchSize: records per worker invocation. */
  batchSize: 10,
  /** MaximumBatchingWindowInSeconds: the dispatcher's messages of one tick gather into full batches. */
  batchingWindowSeconds: 5,
  /** The redrive policy's maxReceiveCount. */
  maxReceiveCount: 1,
} as const;
