import { type AwsClients, overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { TimestreamMetricHistory } from '../../../../shared/aws/timestream-metric-history';
import { RejectedRequestError } from '../../../../shared/ports/errors';
import type { HistoryQuery } from '../../../../shared/ports/metric-history';
import { FaultInjector } from '../../../../shared/simulation/faults/fault-injector';
import { seededRandom } from '../../../../shared/simulation/seeded-random';
import { groupMetrics } from '../../../../shared/simulation/world/group-metric-ids';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { HOUR, START, sideServicesWorld } from '../../../helpers/side-services-world';

/** `web`'s cpu load over the hour before START, in 5-minute steps. */
const lastHour: HistoryQuery = {
  groupName: 'web',
  metric: { kind: 'cpu' },
  startMs: START - HOUR,
  endMs: START,
  stepSeconds: 300,
};

afterEach(() => overrideAwsTransport(undefined));

describe('the simulated Timestream', () => {
  it('answers the history query with binned averages of the mirrored metric', async () => {
    const { world, clients } = sideServicesWorld();
    world.services.timestream.createTable({
      database: 'telemetry',
      table: 'groups',
      measureName: 'load',
      metricOf: (group) => groupMetrics(group).offeredLoad,
    });
    const history = new TimestreamMetricHistory(clients.timestreamQuery, {
      database: 'telemetry',
      table: 'groups',
      measureName: 'load',
      groupDimension: 'AutoScalingGroupName',
    });
    const out = await history.loadHistory([lastHour]);
    const web = out.get('web') ?? [];
    expect(web).toHaveLength(12);
    expect(web[0]).toEqual({ timestampMs: START - HOUR, value: 100 });
    expect(world.calls.get('timestream-query:DescribeEndpointsCommand')).toBe(1);
  });

  it('refuses SQL other than the history query, and unknown tables', async () => {
    const { world } = sideServicesWorld();
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: 'SELECT * FROM "a"."b"' }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const history = new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      database: 'nowhere',
      table: 'none',
      measureName: 'load',
      groupDimension: 'AutoScalingGroupName',
    });
    await expect(history.loadHistory([lastHour])).rejects.toThrow(
      /ValidationException: The table none does not exist/,
    );
  });
});

describe('the simulated Timestream, as Timestream refuses', () => {
  const table = { database: 'telemetry', table: 'groups', measureName: 'load' };
  const createTable = (world: SimulatedWorld) =>
    world.services.timestream.createTable({ ...table, metricOf: (group) => groupMetrics(group).offeredLoad });
  const sqlFor = (groupDimension: string, startMs: number) =>
    new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      ...table,
      groupDimension,
    }).queryFor({ groupName: 'web', metric: { kind: 'cpu' }, startMs, endMs: START, stepSeconds: 60 });

  it('averages a BIGINT measure to null, which Prescale names instead of reading no history', async () => {
    const { world } = sideServicesWorld();
    world.services.timestream.createTable({
      ...table,
      measureType: 'BIGINT',
      metricOf: (group) => groupMetrics(group).offeredLoad,
    });
    const history = new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      ...table,
      groupDimension: 'AutoScalingGroupName',
    });
    await expect(history.loadHistory([lastHour])).rejects.toThrow(
      /measure load of group web has records but no DOUBLE value in 12 steps/,
    );
  });

  it('refuses a group dimension the table does not have', async () => {
    const { world } = sideServicesWorld();
    createTable(world);
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: sqlFor('asg', START - HOUR) }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: "Column 'asg' does not exist" });
  });

  it('refuses a next page asked with another query string than the first', async () => {
    const { world } = sideServicesWorld();
    createTable(world);
    // 2 days of minutes: more rows than one page holds.
    world.seedHistory('web', START - 2 * 24 * HOUR, START - 6 * HOUR, () => 100, 60);
    const sql = sqlFor('AutoScalingGroupName', START - 2 * 24 * HOUR);
    const first = (await world.answer('timestream-query', 'QueryCommand', { QueryString: sql })) as {
      NextToken?: string;
    };
    expect(first.NextToken).toBeDefined();
    await expect(
      world.answer('timestream-query', 'QueryCommand', {
        QueryString: sqlFor('AutoScalingGroupName', START - 3 * 24 * HOUR),
        NextToken: first.NextToken,
      }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Invalid pagination token' });
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: sql, NextToken: first.NextToken }),
    ).resolves.toMatchObject({ Rows: expect.any(Array) });
  });
});

describe('the simulated Timestream, on multi-measure records', () => {
  const createMultiTable = (world: SimulatedWorld, loadType: 'DOUBLE' | 'BIGINT') =>
    world.services.timestream.createTable({
      database: 'telemetry',
      table: 'hosts',
      measureName: 'host_metrics',
      metricOf: (group) => groupMetrics(group).offeredLoad,
      multiMeasure: { loadColumn: 'load', columns: { load: loadType, memory_used_pct: 'DOUBLE' } },
    });
  const historyOf = (measureColumn?: string) =>
    new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      database: 'telemetry',
      table: 'hosts',
      measureName: 'host_metrics',
      groupDimension: 'AutoScalingGroupName',
      ...(measureColumn === undefined ? {} : { measureColumn }),
    });

  it.each<['DOUBLE' | 'BIGINT', number]>([
    ['DOUBLE', 100.4],
    ['BIGINT', 100],
  ])('answers the multi-measure query with binned averages of a %s column', async (loadType, value) => {
    const { world } = sideServicesWorld();
    // Before the helper's six hours of 100, so that each minute has only this value.
    world.seedHistory('web', START - 8 * HOUR, START - 7 * HOUR, () => 100.4, 60);
    createMultiTable(world, loadType);
    const out = await historyOf('load').loadHistory([
      { ...lastHour, startMs: START - 8 * HOUR, endMs: START - 7 * HOUR },
    ]);
    const web = out.get('web') ?? [];
    expect(web).toHaveLength(12);
    expect(web[0]?.timestampMs).toBe(START - 8 * HOUR);
    expect(web[0]?.value).toBeCloseTo(value, 9);
  });

  it('refuses the single-measure query: the table has no measure_value::double column', async () => {
    const { world } = sideServicesWorld();
    createMultiTable(world, 'DOUBLE');
    await expect(
      world.answer('timestream-query', 'QueryCommand', {
        QueryString: historyOf().queryFor(lastHour),
      }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Column 'measure_value::double' does not exist",
    });
  });

  it('refuses a measure column the table does not have, and any on a single-measure table', async () => {
    const { world } = sideServicesWorld();
    createMultiTable(world, 'DOUBLE');
    await expect(
      world.answer('timestream-query', 'QueryCommand', {
        QueryString: historyOf('cpu').queryFor(lastHour),
      }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: "Column 'cpu' does not exist" });
    world.services.timestream.createTable({
      database: 'telemetry',
      table: 'hosts',
      measureName: 'host_metrics',
      metricOf: (group) => groupMetrics(group).offeredLoad,
    });
    await expect(
      world.answer('timestream-query', 'QueryCommand', {
        QueryString: historyOf('load').queryFor(lastHour),
      }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: "Column 'load' does not exist" });
  });

  it('averages a column the records leave null to null, which Prescale names', async () => {
    const { world } = sideServicesWorld();
    createMultiTable(world, 'DOUBLE');
    await expect(historyOf('memory_used_pct').loadHistory([lastHour])).rejects.toThrow(
      'measure memory_used_pct of multi-measure records host_metrics of group web has no value in 12 steps that have records',
    );
  });
});

describe('the simulated Timestream, as the query endpoint moves or cannot be discovered', () => {
  const historyOf = (clients: AwsClients) => {
    const history = new TimestreamMetricHistory(clients.timestreamQuery, {
      database: 'telemetry',
      table: 'groups',
      measureName: 'load',
      groupDimension: 'AutoScalingGroupName',
    });
    return () => history.loadHistory([lastHour]);
  };
  const createTable = (world: SimulatedWorld) =>
    world.services.timestream.createTable({
      database: 'telemetry',
      table: 'groups',
      measureName: 'load',
      metricOf: (group) => groupMetrics(group).offeredLoad,
    });

  it('answers 421 to a Query sent to the cell the account left, which Prescale follows to the new one', async () => {
    const { world, clients } = sideServicesWorld();
    createTable(world);
    const load = historyOf(clients);
    expect((await load()).get('web')).toHaveLength(12);
    world.services.timestream.moveCell();
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: 'SELECT 1' }),
    ).rejects.toMatchObject({ name: 'InvalidEndpointException', $metadata: { httpStatusCode: 421 } });
    expect((await load()).get('web')).toHaveLength(12);
    expect(world.calls.get('timestream-query:DescribeEndpointsCommand')).toBe(2);
  });

  it('fails DescribeEndpoints when the fault injector denies it, which Prescale names', async () => {
    const { world } = sideServicesWorld();
    createTable(world);
    const injector = new FaultInjector({}, seededRandom(1));
    injector.failMatching(
      (service, command) => service === 'timestream-query' && command === 'DescribeEndpointsCommand',
    );
    overrideAwsTransport({
      answer: (service, command, input) => injector.answer(service, command, input, world.answer),
    });
    // Clients made after the override, so that they send through the injector.
    const error = await historyOf(createAwsClients({ region: 'us-east-1' }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect((error as Error).message).toBe(
      'Timestream DescribeEndpoints was rejected: AccessDeniedException: injected failure of DescribeEndpointsCommand (the SDK discovers the endpoint for Query with it; the role needs timestream:DescribeEndpoints)',
    );
    expect(injector.counters.failuresInjected).toBe(1);
  });
});
