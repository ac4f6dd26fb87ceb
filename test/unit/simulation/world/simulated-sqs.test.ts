import { SimulatedSqs } from '../../../../shared/simulation/world/simulated-sqs';

const NOW_MS = Date.UTC(2024, 0, 1);
const id = (n: number) => `b5a1e000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function sqsWithQueue() {
  const sqs = new SimulatedSqs('eu-west-1');
  const url = sqs.createQueue('work');
  return { sqs, url };
}

const entries = (...bodies: string[]) => bodies.map((MessageBody, i) => ({ Id: `e${i}`, MessageBody }));

describe('SimulatedSqs', () => {
  it('names a queue by its region, the account and its name', () => {
    expect(new SimulatedSqs('eu-west-1').createQueue('work')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/work',
    );
  });

  it('answers SendMessage with the message id and the body’s MD5, and holds the message until drained', () => {
    const { sqs, url } = sqsWithQueue();
    expect(sqs.sendMessage({ QueueUrl: url, MessageBody: 'hello' }, NOW_MS)).toEqual({
      MessageId: id(1),
      MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592',
    });
    expect(sqs.drainQueue(url)).toEqual([
      { messageId: id(1), body: 'hello', sentAtMs: NOW_MS, receiveCount: 0 },
    ]);
    expect(sqs.drainQueue(url)).toEqual([]);
  });

  it('drains messages in the order they were sent, single and batched, each with its own id', () => {
    const { sqs, url } = sqsWithQueue();
    sqs.sendMessage({ QueueUrl: url, MessageBody: 'a' }, NOW_MS);
    sqs.sendMessageBatch({ QueueUrl: url, Entries: entries('b', 'c') }, NOW_MS + 1);
    sqs.sendMessage({ QueueUrl: url, MessageBody: 'd' }, NOW_MS + 2);
    const drained = sqs.drainQueue(url);
    expect(drained.map((m) => [m.body, m.messageId, m.sentAtMs])).toEqual([
      ['a', id(1), NOW_MS],
      ['b', id(2), NOW_MS + 1],
      ['c', id(3), NOW_MS + 1],
      ['d', id(4), NOW_MS + 2],
    ]);
  });

  it('numbers message ids across all its queues and keeps each queue’s messages apart', () => {
    const { sqs, url } = sqsWithQueue();
    const other = sqs.createQueue('other');
    sqs.sendMessage({ QueueUrl: url, MessageBody: 'a' }, NOW_MS);
    sqs.sendMessage({ QueueUrl: other, MessageBody: 'b' }, NOW_MS);
    sqs.sendMessage({ QueueUrl: url, MessageBody: 'c' }, NOW_MS);
    expect(sqs.drainQueue(other).map((m) => [m.body, m.messageId])).toEqual([['b', id(2)]]);
    expect(sqs.drainQueue(url).map((m) => [m.body, m.messageId])).toEqual([
      ['a', id(1)],
      ['c', id(3)],
    ]);
  });

  it('answers SendMessageBatch entry by entry, failing only the entries with an empty body', () => {
    const { sqs, url } = sqsWithQueue();
    expect(sqs.sendMessageBatch({ QueueUrl: url, Entries: entries('a', '', 'c') }, NOW_MS)).toEqual({
      Successful: [
        { Id: 'e0', MessageId: id(1), MD5OfMessageBody: '0cc175b9c0f1b6a831c399e269772661' },
        { Id: 'e2', MessageId: id(2), MD5OfMessageBody: '4a8a08f09d37b73795649038408b5f33' },
      ],
      Failed: [
        {
          Id: 'e1',
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: 'The message body must not be empty.',
        },
      ],
    });
    expect(sqs.drainQueue(url).map((m) => m.body)).toEqual(['a', 'c']);
  });

  it('takes a batch of ten and rejects an empty batch, eleven entries, repeated entry ids and over 256 KiB in all whole', () => {
    const { sqs, url } = sqsWithQueue();
    const ten = entries(...Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(() => sqs.sendMessageBatch({ QueueUrl: url, Entries: ten }, NOW_MS)).not.toThrow();
    const full = entries('x'.repeat(262_142), 'é');
    expect(() => sqs.sendMessageBatch({ QueueUrl: url, Entries: full }, NOW_MS)).not.toThrow();
    sqs.drainQueue(url);
    const rejected: [{ Id?: string; MessageBody?: string }[] | undefined, string][] = [
      [[], 'EmptyBatchRequest'],
      [undefined, 'EmptyBatchRequest'],
      [[...ten, { Id: 'e10', MessageBody: 'm10' }], 'TooManyEntriesInBatchRequest'],
      [[...entries('a'), ...entries('b')], 'BatchEntryIdsNotDistinct'],
      [
        [
          { Id: 'big1', MessageBody: 'x'.repeat(262_143) },
          { Id: 'big2', MessageBody: 'é' },
        ],
        'BatchRequestTooLong',
      ],
    ];
    for (const [Entries, name] of rejected) {
      expect(() => sqs.sendMessageBatch({ QueueUrl: url, Entries }, NOW_MS)).toThrow(
        expect.objectContaining({ name }),
      );
    }
    expect(sqs.drainQueue(url)).toEqual([]);
  });

  it('refuses characters SQS does not take: a lone surrogate, U+FFFF, in a body or a String attribute', () => {
    const { sqs, url } = sqsWithQueue();
    expect(() => sqs.sendMessage({ QueueUrl: url, MessageBody: 'cut 🎉'.slice(0, 5) }, NOW_MS)).toThrow(
      /InvalidParameterValue|Invalid binary character '#xD83C'/,
    );
    expect(() =>
      sqs.sendMessage(
        {
          QueueUrl: url,
          MessageBody: '{}',
          MessageAttributes: { reason: { DataType: 'String', StringValue: 'x\uFFFF' } },
        },
        NOW_MS,
      ),
    ).toThrow(/'#xFFFF' was found in the message attribute reason/);
    expect(sqs.sendMessage({ QueueUrl: url, MessageBody: '🎉 \t\n' }, NOW_MS)).toMatchObject({
      MessageId: id(1),
    });
    expect(sqs.sendMessageBatch({ QueueUrl: url, Entries: entries('ok', 'x\u0001') }, NOW_MS)).toMatchObject({
      Successful: [{ Id: 'e0' }],
      Failed: [{ Id: 'e1', SenderFault: true, Code: 'InvalidParameterValue' }],
    });
  });

  it('rejects a send to a queue it does not have, and SendMessage with an empty body', () => {
    const { sqs, url } = sqsWithQueue();
    const gone = 'https://sqs.eu-west-1.amazonaws.com/123456789012/gone';
    expect(() => sqs.sendMessage({ QueueUrl: gone, MessageBody: 'a' }, NOW_MS)).toThrow(
      expect.objectContaining({ name: 'QueueDoesNotExist' }),
    );
    expect(() => sqs.sendMessage({ MessageBody: 'a' }, NOW_MS)).toThrow(
      expect.objectContaining({ name: 'QueueDoesNotExist' }),
    );
    expect(() => sqs.sendMessageBatch({ QueueUrl: gone, Entries: entries('a') }, NOW_MS)).toThrow(
      expect.objectContaining({ name: 'QueueDoesNotExist' }),
    );
    expect(() => sqs.sendMessage({ QueueUrl: url, MessageBody: '' }, NOW_MS)).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue' }),
    );
    expect(sqs.drainQueue(url)).toEqual([]);
  });

  it('puts requeued messages back after those waiting, with their ids, each received once more', () => {
    const { sqs, url } = sqsWithQueue();
    sqs.sendMessageBatch({ QueueUrl: url, Entries: entries('a', 'b') }, NOW_MS);
    const failed = sqs.drainQueue(url);
    sqs.sendMessage({ QueueUrl: url, MessageBody: 'c' }, NOW_MS + 1);
    sqs.requeue(url, failed);
    const again = sqs.drainQueue(url);
    expect(again.map((m) => [m.body, m.messageId, m.sentAtMs, m.receiveCount])).toEqual([
      ['c', id(3), NOW_MS + 1, 0],
      ['a', id(1), NOW_MS, 1],
      ['b', id(2), NOW_MS, 1],
    ]);
    sqs.requeue(url, again.slice(1, 2));
    expect(sqs.drainQueue(url).map((m) => [m.body, m.receiveCount])).toEqual([['a', 2]]);
    // The drained messages are the caller's: requeueing counts on copies.
    expect(failed.map((m) => m.receiveCount)).toEqual([0, 0]);
  });
});
