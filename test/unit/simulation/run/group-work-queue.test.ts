import { GroupWorkQueue } from '../../../../shared/simulation/run/group-work-queue';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const START_MS = Date.UTC(2024, 2, 4);

/** A world whose work queue holds `count` messages, sent as the dispatcher sends them (10 a call). */
async function queueWith(count: number): Promise<{ world: SimulatedWorld; queue: GroupWorkQueue }> {
  const world = new SimulatedWorld({ startMs: START_MS, seed: 1 });
  const queue = new GroupWorkQueue(world);
  for (let k = 0; k < count; k += 10)
    await world.answer('sqs', 'SendMessageBatchCommand', {
      QueueUrl: queue.url,
      Entries: Array.from({ length: Math.min(10, count - k) }, (_, j) => ({
        Id: `m${k + j}`,
        MessageBody: JSON.stringify({ groupName: `group-${k + j}`, tickMs: START_MS }),
      })),
    });
  return { world, queue };
}

describe('GroupWorkQueue', () => {
  it('delivers in SQS events of at most 10 records, as the event source mapping does', async () => {
    const { queue } = await queueWith(23);
    const seen: number[] = [];
    const out = await queue.deliver(async (event) => {
      seen.push(event.Records.length);
      return new Set();
    }, []);
    expect(seen).toEqual([10, 10, 3]);
    expect(out).toEqual({ delivered: 23, batchSizes: [10, 10, 3], failedItems: 0, deadLettered: 0 });
  });

  it('moves failed records, and every record of a failed invocation, to the dead-letter queue after one delivery', async () => {
    const { world, queue } = await queueWith(12);
    const errors: string[] = [];
    const out = await queue.deliver(async (event, batchIndex) => {
      if (batchIndex === 1) throw Object.assign(new Error('Task timed out'), { name: 'Sandbox.Timedout' });
      return new Set([event.Records[3]?.messageId as string]);
    }, errors);
    expect(out).toEqual({ delivered: 12, batchSizes: [10, 2], failedItems: 3, deadLettered: 3 });
    expect(errors).toEqual(['worker: Sandbox.Timedout: Task timed out']);
    expect(queue.deadLetters().map((m) => [JSON.parse(m.body).groupName, m.receiveCount])).toEqual([
      ['group-3', 1],
      ['group-10', 1],
      ['group-11', 1],
    ]);
    // Nothing goes back to the queue: the next delivery finds it empty.
    expect(world.drainQueue(queue.url)).toEqual([]);
  });
});
