import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import { historyNoLongerKept } from '../../../shared/usecases/history-no-longer-kept';

const DAY = 86_400_000;
const NOW = Date.UTC(2027, 0, 31);
const config = userConfigSchema.parse({ groups: { names: ['web'] } });

const query = (stepSeconds: number, ageDays: number): HistoryQuery => ({
  groupName: 'web',
  metric: { kind: 'cpu' },
  startMs: NOW - ageDays * DAY,
  endMs: NOW,
  stepSeconds,
});

describe('historyNoLongerKept', () => {
  it.each([
    [60, 15, 'kept'],
    [60, 15.01, 'not kept beyond 15 days'],
    [120, 20, 'not kept beyond 15 days'],
    [300, 63, 'kept'],
    [300, 63.5, 'not kept beyond 63 days'],
    [900, 100, 'not kept beyond 63 days'],
    [3600, 400, 'kept'],
  ])('at a %i s step, from %f days ago: %s', (stepSeconds, ageDays, expected) => {
    const reason = historyNoLongerKept(config, query(stepSeconds, ageDays), NOW);
    const keptDays = /beyond (\d+) days/.exec(expected)?.[1];
    if (keptDays === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(`at a ${stepSeconds} s period for a start more than ${keptDays} days ago`);
  });
});

describe('historyNoLongerKept for a Metrics Insights SELECT', () => {
  const select = (
    ageDays: number,
    expression = 'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
  ) => ({
    ...query(300, ageDays),
    metric: { kind: 'expression' as const, expression },
  });

  it('says a start more than 14 days ago is past what the SELECT can read, at a step every tier keeps', () => {
    const reason = historyNoLongerKept(config, select(14.5), NOW);
    expect(reason).toMatch(
      /^history no longer readable by its Metrics Insights SELECT: CloudWatch refuses a SELECT whose start is more than 14 days ago \(MaxQueryTimeRangeExceeded; .*\), and the history to learn from starts 2027-01-16T12:00:00.000Z, 14.5 days ago$/,
    );
  });

  it('keeps a SELECT reaching 14 days back, and a metric-math expression reaching further', () => {
    expect(historyNoLongerKept(config, select(14), NOW)).toBeUndefined();
    expect(
      historyNoLongerKept(
        config,
        select(20, "SUM(SEARCH('{AWS/EC2,AutoScalingGroupName} CPUUtilization', 'Average'))"),
        NOW,
      ),
    ).toBeUndefined();
  });
});
