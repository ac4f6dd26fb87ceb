/** One unit of scaling-loop work: one group for one tick. */
export interface GroupWorkItem {
  readonly groupName: string;
  readonly tickMs: number;
}

/** Where the dispatcher puts per-group work for the workers (SQS in AWS). */
export interface GroupWorkQueue {
  /** Enqueues every item; resolves with the items that could not be enqueued. */
  enqueue(items: readonly GroupWorkItem[]): Promise<GroupWorkItem[]>;
}
