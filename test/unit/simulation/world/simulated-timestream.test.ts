import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { TimestreamMetricHistory } from '../../../../shared/aws/timestream-metric-history';
import { groupMetrics } from '../../../../shared/simulation/world/group-metric-ids';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { HOUR, START, sideServicesWorld } from '../../../helpers/side-services-world';

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
    const out = await history.loadHistory([
      { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
    ]);
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
    await expect(
      history.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
      ]),
    ).rejects.toThrow(/ValidationException: The table none does not exist/);
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
    await expect(
      history.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
      ]),
    ).rejects.toThrow(/measure load of group web has records but no DOUBLE value in 12 steps/);
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
