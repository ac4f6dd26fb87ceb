import { waitEndsAt } from './wait-state-end';

const T0 = Date.parse('2026-03-02T01:00:00Z');

describe('waitEndsAt', () => {
  it.each([
    [{ Seconds: 90 }, {}, T0 + 90_000],
    [{ SecondsPath: '$.plan.pollIntervalSeconds' }, { plan: { pollIntervalSeconds: 60 } }, T0 + 60_000],
    [{ SecondsPath: '$.waitSeconds' }, { waitSeconds: 0 }, T0],
    [{ Timestamp: '2026-03-02T02:00:00Z' }, {}, T0 + 3_600_000],
    [{ TimestampPath: '$.at' }, { at: '2026-03-02T00:00:00Z' }, T0],
    [{ TimestampPath: '$.at' }, { at: '2026-03-02T03:00:00+01:00' }, T0 + 3_600_000],
    // "Step Functions considers the time value up to seconds and truncates milliseconds".
    [{ TimestampPath: '$.at' }, { at: '2026-03-02T01:00:30.999Z' }, T0 + 30_000],
  ])('ends %j with input %j at the time Step Functions would', (state, input, endsAt) => {
    expect(waitEndsAt(state, input, T0)).toBe(endsAt);
  });

  it.each([
    [{ waitSeconds: 12.5 }, '12.5'],
    [{ waitSeconds: -1 }, '-1'],
    [{ waitSeconds: '60' }, '"60"'],
    [{}, 'undefined'],
  ])('fails a SecondsPath selecting %j with States.Runtime, as Step Functions does', (input, shown) => {
    const wait = () => waitEndsAt({ SecondsPath: '$.waitSeconds' }, input, T0);
    expect(wait).toThrow(expect.objectContaining({ name: 'States.Runtime' }));
    expect(wait).toThrow(`$.waitSeconds is ${shown}; Step Functions waits only a non-negative integer`);
  });

  it.each([
    '2026-03-02t02:00:00z',
    '2026-03-02 02:00:00Z',
    '2026-03-02T02:00:00',
    'Mon, 02 Mar 2026 02:00:00 GMT',
    '2026-03-02',
  ])('fails a TimestampPath selecting %j, which Date.parse takes and Step Functions does not', (at) => {
    expect(() => waitEndsAt({ TimestampPath: '$.at' }, { at }, T0)).toThrow(
      expect.objectContaining({
        name: 'States.Runtime',
        message: expect.stringContaining('uppercase T and Z'),
      }),
    );
  });

  it('names a Wait path it cannot follow', () => {
    expect(() => waitEndsAt({ SecondsPath: '$.items[0]' }, {}, T0)).toThrow(/unsupported Wait path/);
  });
});
