import {
  LEASE_CLOCK_LEEWAY_MS,
  RUN_CLAIM_POLL_MS,
  runsWaitStep,
} from '../../../../shared/core/planning/runs-wait';

const T = Date.UTC(2026, 11, 7, 12);
const MINUTE_MS = 60_000;
const all = { everyGroupRead: true };

describe('runsWaitStep', () => {
  it('gives the groups back once every group read is free, or its claim past its lease and leeway', () => {
    const claims = new Map([['web', { leaseUntilMs: T - LEASE_CLOCK_LEEWAY_MS }]]);
    expect(runsWaitStep(claims, { nowMs: T, deadlineMs: T + MINUTE_MS, ...all })).toEqual({
      kind: 'released',
    });
    expect(runsWaitStep(new Map(), { nowMs: T, deadlineMs: T + MINUTE_MS, ...all })).toEqual({
      kind: 'released',
    });
  });

  it('reads the claims again in a few seconds while a run holds a group, however far its lease ends past the deadline', () => {
    const claims = new Map([
      ['api', { leaseUntilMs: T + 2 * MINUTE_MS }],
      ['batch', { leaseUntilMs: T + 20 * MINUTE_MS }],
    ]);
    expect(runsWaitStep(claims, { nowMs: T, deadlineMs: T + 10 * MINUTE_MS, ...all })).toEqual({
      kind: 'poll',
      held: ['api', 'batch'],
      sleepMs: RUN_CLAIM_POLL_MS,
    });
  });

  it('sleeps past neither the deadline nor the latest lease’s end with its leeway', () => {
    const claims = new Map([['web', { leaseUntilMs: T + 1_000 }]]);
    expect(runsWaitStep(claims, { nowMs: T, deadlineMs: T + 3_000, ...all })).toMatchObject({
      sleepMs: 2_000,
    });
    expect(runsWaitStep(claims, { nowMs: T, deadlineMs: T + 1_500, ...all })).toMatchObject({
      sleepMs: 1_500,
    });
  });

  it('names only the groups still held at the deadline past the budget, with their lease’s end', () => {
    const claims = new Map([['batch', { leaseUntilMs: T + 20 * MINUTE_MS }]]);
    const step = runsWaitStep(claims, { nowMs: T + 10 * MINUTE_MS, deadlineMs: T + 10 * MINUTE_MS, ...all });
    expect(step.kind).toBe('pastDeadline');
    const beyondBudget = step.kind === 'pastDeadline' ? step.beyondBudget : new Map();
    expect([...beyondBudget.keys()]).toEqual(['batch']);
    expect(beyondBudget.get('batch')).toContain("its claim's lease ends 2026-12-07T12:20:00.000Z");
  });

  it('decides nothing on a read of the held groups alone but to read every group (a run may have claimed another)', () => {
    const held = new Map([['web', { leaseUntilMs: T + 20 * MINUTE_MS }]]);
    const some = { everyGroupRead: false };
    expect(runsWaitStep(new Map(), { nowMs: T, deadlineMs: T + MINUTE_MS, ...some })).toEqual({
      kind: 'readAll',
    });
    expect(runsWaitStep(held, { nowMs: T + MINUTE_MS, deadlineMs: T + MINUTE_MS, ...some })).toEqual({
      kind: 'readAll',
    });
    expect(runsWaitStep(held, { nowMs: T, deadlineMs: T + MINUTE_MS, ...some })).toMatchObject({
      kind: 'poll',
    });
  });
});
