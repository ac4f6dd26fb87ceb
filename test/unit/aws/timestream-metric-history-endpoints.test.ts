import { Readable } from 'node:stream';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamMetricHistory } from '../../../shared/aws/timestream-metric-history';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

// A real client over a stub HTTP handler, not aws-sdk-client-mock: the mock replaces `send`, so the
// SDK's endpoint discovery (DescribeEndpoints before Query, its endpoint cache) would never run.

interface StubAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const ok = (body: Record<string, unknown>): StubAnswer => ({ status: 200, body });
const fails = (status: number, type: string, message: string): StubAnswer => ({
  status,
  body: { __type: type, message },
});
const ENDPOINTS = ok({
  Endpoints: [{ Address: 'query-cell1.timestream.us-east-1.amazonaws.com', CachePeriodInMinutes: 1440 }],
});
const ROW = { Data: [{ ScalarValue: '2026-01-01 00:00:00.000000000' }, { ScalarValue: '42' }] };
const ROWS = ok({ QueryId: 'q1', Rows: [ROW], ColumnInfo: [] });
const INVALID_ENDPOINT = fails(421, 'InvalidEndpointException', 'The requested endpoint was not valid.');

/**
 * A Timestream Query client whose HTTP handler answers each operation from its own queue (the
 * last answer repeats), recording the operations sent in order.
 */
function stubbedClient(
  answers: { DescribeEndpoints: (StubAnswer | Error)[]; Query: (StubAnswer | Error)[] },
  region = 'us-east-1',
) {
  const sent: string[] = [];
  const client = new TimestreamQueryClient({
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    // One attempt: the SDK's own retries and their backoff are not what these tests check.
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        const operation = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        sent.push(operation);
        const queue = answers[operation as keyof typeof answers];
        if (!queue) throw new Error(`unexpected operation ${operation}`);
        const answer = (queue.length > 1 ? queue.shift() : queue[0]) as StubAnswer | Error;
        if (answer instanceof Error) throw answer;
        return {
          response: {
            statusCode: answer.status,
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              ...(answer.status >= 400 ? { 'x-amzn-errortype': String(answer.body.__type) } : {}),
            },
            body: Readable.from([Buffer.from(JSON.stringify(answer.body))]),
          },
        };
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    },
  });
  const history = new TimestreamMetricHistory(client, {
    database: 'ops',
    table: 'load',
    measureName: 'cpu',
    groupDimension: 'AutoScalingGroupName',
  });
  return { history, sent };
}

/** What Node's DNS lookup throws for a name that does not exist, as the SDK's HTTP handler passes it on. */
const noSuchHost = (hostname: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });

const LAST_HOUR = [
  { groupName: 'web', metric: { kind: 'cpu' as const }, startMs: 0, endMs: 3_600_000, stepSeconds: 300 },
];

describe('TimestreamMetricHistory, as the SDK discovers the query endpoint', () => {
  it('reads a throttled DescribeEndpoints as a transient failure of DescribeEndpoints', async () => {
    const { history, sent } = stubbedClient({
      DescribeEndpoints: [fails(429, 'ThrottlingException', 'Rate exceeded')],
      Query: [ROWS],
    });
    const error = await history.loadHistory(LAST_HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDependencyError);
    expect(error).toMatchObject({ dependency: 'Timestream', operation: 'DescribeEndpoints', refused: true });
    // The SDK's own error, with the throttle as its reason, stays the cause.
    expect((error as Error).cause).toMatchObject({
      message: expect.stringMatching(/^The operation to discover endpoint failed/),
      reason: { name: 'ThrottlingException' },
    });
    expect(sent).toEqual(['DescribeEndpoints']);
  });

  it('names DescribeEndpoints, the denial and the IAM action when DescribeEndpoints is denied', async () => {
    const { history } = stubbedClient({
      DescribeEndpoints: [fails(403, 'AccessDeniedException', 'not authorized')],
      Query: [ROWS],
    });
    const error = await history.loadHistory(LAST_HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(error).toMatchObject({ dependency: 'Timestream', operation: 'DescribeEndpoints' });
    const message = (error as Error).message;
    expect(message).toContain(
      'Timestream DescribeEndpoints was rejected: AccessDeniedException: not authorized',
    );
    expect(message).toContain('timestream:DescribeEndpoints');
    // Not the SDK's advice to set a custom endpoint, which Prescale has no setting for.
    expect(message).not.toContain('custom endpoint');
  });

  // A Region without Timestream for LiveAnalytics has no query.timestream.<region> name: every run
  // would fail as transient, forever, with a bare getaddrinfo message.
  it('names historySource timestream and the Region when the Region has no Timestream endpoint', async () => {
    const { history, sent } = stubbedClient(
      { DescribeEndpoints: [noSuchHost('query.timestream.ap-east-2.amazonaws.com')], Query: [ROWS] },
      'ap-east-2',
    );
    const error = await history.loadHistory(LAST_HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(error).toMatchObject({ dependency: 'Timestream', operation: 'DescribeEndpoints' });
    const message = (error as Error).message;
    expect(message).toContain('Timestream for LiveAnalytics is not reachable in ap-east-2');
    expect(message).toContain('historySource: timestream');
    expect(message).toContain('query.timestream.ap-east-2.amazonaws.com');
    expect(sent).toEqual(['DescribeEndpoints']);
  });

  it('names the Region too when the discovered query endpoint has no address', async () => {
    const { history } = stubbedClient({
      DescribeEndpoints: [ENDPOINTS],
      Query: [noSuchHost('query-cell1.timestream.us-east-1.amazonaws.com')],
    });
    const error = await history.loadHistory(LAST_HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(error).toMatchObject({ dependency: 'Timestream', operation: 'Query' });
    expect((error as Error).message).toContain('Timestream for LiveAnalytics is not reachable in us-east-1');
  });

  it('keeps a DNS lookup that may pass (EAI_AGAIN) transient', async () => {
    const { history } = stubbedClient({
      DescribeEndpoints: [
        Object.assign(new Error('getaddrinfo EAI_AGAIN query.timestream.us-east-1.amazonaws.com'), {
          code: 'EAI_AGAIN',
        }),
      ],
      Query: [ROWS],
    });
    await expect(history.loadHistory(LAST_HOUR)).rejects.toBeInstanceOf(TransientDependencyError);
  });

  it('discovers the endpoint again and repeats the page when Query answers 421 InvalidEndpointException', async () => {
    const { history, sent } = stubbedClient({
      DescribeEndpoints: [ENDPOINTS],
      Query: [INVALID_ENDPOINT, ROWS],
    });
    const result = await history.loadHistory(LAST_HOUR);
    expect(result.get('web')).toEqual([{ timestampMs: Date.UTC(2026, 0, 1), value: 42 }]);
    expect(sent).toEqual(['DescribeEndpoints', 'Query', 'DescribeEndpoints', 'Query']);
  });

  it('fails transiently when Query answers 421 again after the endpoint is discovered anew', async () => {
    const { history, sent } = stubbedClient({
      DescribeEndpoints: [ENDPOINTS],
      Query: [INVALID_ENDPOINT],
    });
    const error = await history.loadHistory(LAST_HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDependencyError);
    expect(error).toMatchObject({ dependency: 'Timestream', operation: 'Query' });
    expect((error as Error).cause).toMatchObject({ name: 'InvalidEndpointException' });
    expect(sent).toEqual(['DescribeEndpoints', 'Query', 'DescribeEndpoints', 'Query']);
  });

  it('discovers the endpoint again on the next call after a 421, not only within the failed one', async () => {
    const { history, sent } = stubbedClient({
      DescribeEndpoints: [ENDPOINTS],
      Query: [INVALID_ENDPOINT, INVALID_ENDPOINT, ROWS],
    });
    await expect(history.loadHistory(LAST_HOUR)).rejects.toBeInstanceOf(TransientDependencyError);
    expect((await history.loadHistory(LAST_HOUR)).get('web')).toHaveLength(1);
    expect(sent).toEqual([
      'DescribeEndpoints',
      'Query',
      'DescribeEndpoints',
      'Query',
      'DescribeEndpoints',
      'Query',
    ]);
  });
});
