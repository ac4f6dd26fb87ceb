import { chooseWindow, type WindowInput } from '../../../../shared/core/rolling-update/choose-window';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;
/** Hourly p90 loads for 24 h: busy (600) from 00:00 to 03:00, quiet (120) after. */
const busyThenQuiet = Array.from({ length: 24 }, (_, h) => (h < 3 ? 600 : 120));

const base: WindowInput = {
  nowMs: T0,
  deadlineMs: T0 + 12 * HOUR,
  force: false,
  forecast: { startMs: T0, stepSeconds: 3600, upperLoad: busyThenQuiet },
  durationSeconds: 1800,
  maxSize: 10,
  minHealthyPercentage: 90,
  targetLoadPerInstance: 60,
};

describe('chooseWindow', () => {
  it('proceeds at once when the peak over the refresh fits what stays healthy at MaxSize', () => {
    const d = chooseWindow({ ...base, nowMs: T0 + 4 * HOUR });
    expect(d).toMatchObject({ kind: 'proceed', peakLoad: 120 });
  });

  it('waits for the first fitting start, at most an hour at a time', () => {
    expect(chooseWindow(base)).toMatchObject({
      kind: 'wait',
      waitSeconds: 3600,
      windowStartMs: T0 + 3 * HOUR,
    });
    expect(chooseWindow({ ...base, nowMs: T0 + 2.5 * HOUR })).toMatchObject({
      kind: 'wait',
      waitSeconds: 1800,
    });
  });

  it('counts the whole refresh: a start whose refresh runs into the peak does not fit', () => {
    const d = chooseWindow({
      ...base,
      forecast: { ...base.forecast, upperLoad: [120, 600, 120, 120] },
      durationSeconds: 5400,
    });
    expect(d).toMatchObject({ kind: 'wait', windowStartMs: T0 + 2 * HOUR });
  });

  it('proceeds when forced, whatever the forecast', () => {
    expect(chooseWindow({ ...base, force: true })).toMatchObject({ kind: 'proceed', peakLoad: 600 });
  });

  it('defers when the deadline has passed', () => {
    const d = chooseWindow({ ...base, nowMs: base.deadlineMs + 1 });
    expect(d.kind).toBe('defer');
    expect(d.reason).toContain('deadline');
  });

  it('defers when no start before the deadline fits', () => {
    const d = chooseWindow({ ...base, deadlineMs: T0 + 2 * HOUR });
    expect(d.kind).toBe('defer');
    expect(d.reason).toContain('no low-load window');
  });

  it('waits and forecasts again when the deadline lies beyond the forecast', () => {
    const d = chooseWindow({
      ...base,
      forecast: { ...base.forecast, upperLoad: [600, 600] },
      deadlineMs: T0 + 48 * HOUR,
    });
    expect(d).toMatchObject({ kind: 'wait', waitSeconds: 3600 });
  });
});

describe('chooseWindow, not before a change due on the group', () => {
  const notBefore = { atMs: T0 + 5 * HOUR + 10 * 60_000, reason: 'a give-back is due' };

  it('waits for it even where the forecast fits now, and names it', () => {
    const d = chooseWindow({ ...base, nowMs: T0 + 4 * HOUR, notBefore });
    expect(d).toMatchObject({ kind: 'wait', waitSeconds: 3600, windowStartMs: notBefore.atMs });
    expect(d.reason).toBe(
      'a give-back is due: the refresh starts after it; a window opens at 2026-03-02T05:10:00.000Z',
    );
    expect(chooseWindow({ ...base, nowMs: T0 + 5 * HOUR, notBefore })).toMatchObject({
      kind: 'wait',
      waitSeconds: 600,
    });
  });

  it('waits for the first fitting start after it when load is high then', () => {
    const d = chooseWindow({ ...base, notBefore: { ...notBefore, atMs: T0 + 90 * 60_000 } });
    expect(d).toMatchObject({ kind: 'wait', windowStartMs: T0 + 3 * HOUR, waitSeconds: 3600 });
  });

  it('proceeds as before once it has passed', () => {
    expect(chooseWindow({ ...base, nowMs: notBefore.atMs, notBefore })).toMatchObject({ kind: 'proceed' });
  });

  it('defers when it falls past the deadline, saying when to ask again', () => {
    const d = chooseWindow({ ...base, nowMs: T0 + 4 * HOUR, deadlineMs: T0 + 5 * HOUR, notBefore });
    expect(d).toEqual({
      kind: 'defer',
      reason:
        'a give-back is due, after the deadline 2026-03-02T05:00:00.000Z: the refresh may not start before then; request it again after 2026-03-02T05:10:00.000Z, or with force',
    });
  });

  it('never waits past the deadline for it, though looks are kept apart', () => {
    const d = chooseWindow({
      ...base,
      nowMs: T0 + 4 * HOUR,
      deadlineMs: T0 + 5 * HOUR + 20 * 60_000,
      minWaitSeconds: 3000,
      notBefore,
    });
    expect(d).toMatchObject({ kind: 'wait', waitSeconds: 3600 });
    const late = chooseWindow({
      ...base,
      nowMs: T0 + 4 * HOUR + 40 * 60_000,
      deadlineMs: T0 + 5 * HOUR + 20 * 60_000,
      minWaitSeconds: 3000,
      notBefore,
    });
    // 40 minutes to the deadline: the next look comes at it, after the give-back, and may start.
    expect(late).toMatchObject({ kind: 'wait', waitSeconds: 2400 });
  });

  it('is passed over by force', () => {
    expect(chooseWindow({ ...base, nowMs: T0 + 4 * HOUR, force: true, notBefore })).toMatchObject({
      kind: 'proceed',
    });
  });
});
