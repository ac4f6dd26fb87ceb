import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { QueryCommand, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SqsGroupWorkQueue } from '../../../shared/aws/sqs-group-work-queue';
import { SsmKillSwitch } from '../../../shared/aws/ssm-kill-switch';
import { TimestreamMetricHistory } from '../../../shared/aws/timestream-metric-history';
import { RejectedRequestError } from '../../../shared/ports/errors';

describe('SqsGroupWorkQueue', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());

  it('sends batches of 10 and returns the entries SQS refused', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '3', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Successful: [], Failed: [] });
    const items = Array.from({ length: 23 }, (_, i) => ({ groupName: `g${i}`, tickMs: 1 }));
    const failed = await new SqsGroupWorkQueue(sqs as unknown as SQSClient, 'https://sqs/q').enqueue(items);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]).toEqual({
      Id: '0',
      MessageBody: JSON.stringify({ groupName: 'g0', tickMs: 1 }),
    });
    expect(failed).toEqual([{ groupName: 'g3', tickMs: 1 }]);
  });
});

describe('SsmKillSwitch', () => {
  // A client, not the mock: Powertools' SSM provider checks that it is one, else builds its own.
  const client = new SSMClient({});
  const ssm = mockClient(client);
  const logger = { warn: jest.fn() };
  const killSwitch = new SsmKillSwitch(client, '/prescale/kill-switch', { maxAgeSeconds: 0, logger });
  const holding = (value: string) =>
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/prescale/kill-switch', Value: value } });
  beforeEach(() => {
    ssm.reset();
    logger.warn.mockClear();
  });

  it.each([' Running ', 'running', 'RUNNING'])('is running when the parameter says %j', async (value) => {
    holding(value);
    expect(await killSwitch.isPaused()).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('is running when the parameter does not exist', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));
    expect(await killSwitch.isPaused()).toBe(false);
  });

  it('is paused when the parameter says paused, without a warning', async () => {
    holding(' Paused ');
    expect(await killSwitch.isPaused()).toBe(true);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each(['pause', 'stop', 'true', 'off', 'runing', ' '])(
    'fails closed on %j: paused, with a warning naming the value',
    async (value) => {
      holding(value);
      expect(await killSwitch.isPaused()).toBe(true);
      expect(logger.warn).toHaveBeenCalledWith(
        'kill switch value not recognised, read as paused',
        expect.objectContaining({ parameterName: '/prescale/kill-switch', value }),
      );
    },
  );

  it('raises access denied instead of reading it as running', async () => {
    ssm.on(GetParameterCommand).rejects(
      Object.assign(new Error('denied'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(killSwitch.isPaused()).rejects.toBeInstanceOf(RejectedRequestError);
  });

  it('reads SSM once while its cached value is fresh', async () => {
    holding('paused');
    const cached = new SsmKillSwitch(client, '/prescale/kill-switch', { logger });
    expect(await cached.isPaused()).toBe(true);
    expect(await cached.isPaused()).toBe(true);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/prescale/kill-switch' });
  });
});

describe('TimestreamMetricHistory', () => {
  const ts = mockClient(TimestreamQueryClient);
  const history = new TimestreamMetricHistory(ts as unknown as TimestreamQueryClient, {
    database: 'ops',
    table: 'load',
    measureName: 'cpu_units',
    groupDimension: 'asg',
  });
  beforeEach(() => ts.reset());

  it('bins by the step, pages to the end and parses Timestream times as UTC', async () => {
    ts.on(QueryCommand)
      .resolvesOnce({
        QueryId: 'q1',
        Rows: [{ Data: [{ ScalarValue: '2026-01-01 00:00:00.000000000' }, { ScalarValue: '101.5' }] }],
        ColumnInfo: [
          { Name: 't', Type: { ScalarType: 'TIMESTAMP' } },
          { Name: 'v', Type: { ScalarType: 'DOUBLE' } },
        ],
        NextToken: 'n',
      })
      .resolvesOnce({
        QueryId: 'q1',
        Rows: [{ Data: [{ ScalarValue: '2026-01-01 00:05:00.000000000' }, { NullValue: true }] }],
        ColumnInfo: [],
      });
    const result = await history.loadHistory([
      { groupName: "o'brien", metric: { kind: 'cpu' }, startMs: 0, endMs: 1, stepSeconds: 300 },
    ]);
    expect(result.get("o'brien")).toEqual([{ timestampMs: Date.UTC(2026, 0, 1), value: 101.5 }]);
    const sql = ts.commandCalls(QueryCommand)[0]?.args[0].input.QueryString ?? '';
    expect(sql).toContain('bin(time, 300s)');
    expect(sql).toContain(`"asg" = 'o''brien'`);
    expect(sql).toContain('FROM "ops"."load"');
    expect(ts).toHaveReceivedNthCommandWith(2, QueryCommand, { NextToken: 'n' });
  });

  it('names a measure whose steps have records but no DOUBLE value instead of reading no history', async () => {
    const nullRow = (time: string) => ({ Data: [{ ScalarValue: time }, { NullValue: true }] });
    ts.on(QueryCommand).resolves({
      QueryId: 'q1',
      Rows: [nullRow('2026-01-01 00:00:00.000000000'), nullRow('2026-01-01 00:01:00.000000000')],
      ColumnInfo: [],
    });
    await expect(
      history.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: 0, endMs: 1, stepSeconds: 60 },
      ]),
    ).rejects.toThrow(
      'measure cpu_units of group web has records but no DOUBLE value in 2 steps: Prescale averages measure_value::double of single-measure records, so write the measure as DOUBLE, or, for multi-measure records, set timestream.measureColumn to the measure holding the load',
    );
  });

  it('reads single-measure records from measure_value::double, the measure named by measure_name', () => {
    const sql = history.queryFor({
      groupName: 'web',
      metric: { kind: 'cpu' },
      startMs: 0,
      endMs: 60_000,
      stepSeconds: 60,
    });
    expect(sql).toBe(
      `SELECT bin(time, 60s) AS t, avg(measure_value::double) AS v FROM "ops"."load" WHERE measure_name = 'cpu_units' AND "asg" = 'web' AND time >= from_milliseconds(0) AND time < from_milliseconds(60000) GROUP BY bin(time, 60s) ORDER BY t ASC`,
    );
  });

  describe('on multi-measure records', () => {
    const multi = new TimestreamMetricHistory(ts as unknown as TimestreamQueryClient, {
      database: 'ops',
      table: 'load',
      measureName: 'host_metrics',
      groupDimension: 'asg',
      measureColumn: 'cpu "load"',
    });

    it('averages the measure column cast to double, in the records measure_name names', async () => {
      ts.on(QueryCommand).resolves({
        QueryId: 'q1',
        Rows: [{ Data: [{ ScalarValue: '2026-01-01 00:00:00.000000000' }, { ScalarValue: '42' }] }],
        ColumnInfo: [],
      });
      const result = await multi.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: 0, endMs: 60_000, stepSeconds: 60 },
      ]);
      expect(result.get('web')).toEqual([{ timestampMs: Date.UTC(2026, 0, 1), value: 42 }]);
      expect(ts).toHaveReceivedCommandWith(QueryCommand, {
        QueryString: `SELECT bin(time, 60s) AS t, avg(CAST("cpu ""load""" AS double)) AS v FROM "ops"."load" WHERE measure_name = 'host_metrics' AND "asg" = 'web' AND time >= from_milliseconds(0) AND time < from_milliseconds(60000) GROUP BY bin(time, 60s) ORDER BY t ASC`,
      });
    });

    it('names the column, not the DOUBLE type, when its steps have records but no value', async () => {
      ts.on(QueryCommand).resolves({
        QueryId: 'q1',
        Rows: [{ Data: [{ ScalarValue: '2026-01-01 00:00:00.000000000' }, { NullValue: true }] }],
        ColumnInfo: [],
      });
      const load = multi.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: 0, endMs: 60_000, stepSeconds: 60 },
      ]);
      await expect(load).rejects.toThrow(
        'measure cpu "load" of multi-measure records host_metrics of group web has no value in 1 steps that have records: write the load to cpu "load" (DOUBLE or BIGINT) in each record named host_metrics, or set timestream.measureColumn to the measure that holds it',
      );
    });
  });

  it('pages on past a page with no rows, repeating the query string with each NextToken', async () => {
    const row = (time: string, value: string) => ({ Data: [{ ScalarValue: time }, { ScalarValue: value }] });
    ts.on(QueryCommand)
      .resolvesOnce({ QueryId: 'q1', Rows: [], ColumnInfo: [], NextToken: 'a' })
      .resolvesOnce({
        QueryId: 'q1',
        Rows: [row('2026-01-01 00:00:00.000000000', '1')],
        ColumnInfo: [],
        NextToken: 'b',
      })
      .resolvesOnce({ QueryId: 'q1', Rows: [], ColumnInfo: [] });
    const result = await history.loadHistory([
      { groupName: 'web', metric: { kind: 'cpu' }, startMs: 0, endMs: 1, stepSeconds: 60 },
    ]);
    expect(result.get('web')).toEqual([{ timestampMs: Date.UTC(2026, 0, 1), value: 1 }]);
    const calls = ts.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, 'a', 'b']);
    // Timestream fails a page asked with another query string: "Invalid pagination token".
    expect(new Set(calls.map((c) => c.QueryString)).size).toBe(1);
  });
});
