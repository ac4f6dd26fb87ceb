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
