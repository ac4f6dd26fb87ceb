import { LEASE_CLOCK_LEEWAY_MS, runsWait } from '../../../../shared/core/planning/runs-wait';

const T = Date.UTC(2026, 11, 7, 12);
const MINUTE_MS = 60_000;

describe('runsWait', () => {
  it('waits for none without a live claim', () => {
    const wait = runsWait(new Map([['web', { leaseUntilMs: T - 1 }]]), {
      nowMs: T,
      deadlineMs: T + MINUTE_MS,
    });
    expect(wait).toEqual({ beyondBudget: new Map() });
  });

  it('waits past the latest lease that ends within the budget, and names the groups held past it', () => {
    const claims = new Map([
      ['api', { leaseUntilMs: T + 2 * MINUTE_MS }],
      ['web', { leaseUntilMs: T + 4 * MINUTE_MS }],
      ['batch', { leaseUntilMs: T + 20 * MINUTE_MS }],
    ]);
    const wait = runsWait(claims, { nowMs: T, deadlineMs: T + 10 * MINUTE_MS });
    expect(wait.untilMs).toBe(T + 4 * MINUTE_MS + LEASE_CLOCK_LEEWAY_MS);
    expect([...wait.beyondBudget.keys()]).toEqual(['batch']);
    expect(wait.beyondBudget.get('batch')).toContain('2026-12-07T12:20:00.000Z');
  });

  it('counts a lease ending at the deadline without its leeway as past the budget', () => {
    const wait = runsWait(new Map([['web', { leaseUntilMs: T + MINUTE_MS }]]), {
      nowMs: T,
      deadlineMs: T + MINUTE_MS,
    });
    expect(wait.untilMs).toBeUndefined();
    expect([...wait.beyondBudget.keys()]).toEqual(['web']);
  });
});
