import { judgeForecastFloor } from '../../../../shared/core/planning/judge-forecast-floor';

const DAY = 288;
const NONE = Number.NaN;
/** The user's floor: what a plan asks for where the forecast needs no more. */
const LOW = 1;

/** A day of 5-minute steps: the load each step, with three steps of hold before. */
function day(loadAt: (step: number) => number): number[] {
  return [...[120, 120, 120], ...Array.from({ length: DAY }, (_, i) => loadAt(i))];
}

const judge = (loadPerStep: number[], floorAt: (step: number) => number, minSteps = DAY) =>
  judgeForecastFloor({
    loadPerStep,
    stepSeconds: 300,
    fromStep: 3,
    targetLoadPerInstance: 60,
    sloLoadPerInstance: 60,
    holdSteps: 3,
    scaleOutDelaySteps: 2,
    floorPerStep: [NONE, NONE, NONE, ...Array.from({ length: DAY }, (_, i) => floorAt(i))],
    minSteps,
  });

/** A ramp to 10 instances' load every 24 steps for 12 steps: what a forecast can place. */
const rampAt = (i: number) => (i % 24 < 12 ? 600 : 120);

describe('judgeForecastFloor', () => {
  it('keeps a floor that holds capacity ahead of ramps target tracking meets late', () => {
    // The floor is in place for each 12-step high spell: target tracking alone is short at each rise.
    const judgement = judge(day(rampAt), (i) => (i % 24 < 12 ? 10 : LOW));
    expect(judgement.kind).toBe('pays');
    if (judgement.kind === 'too-little-record') throw new Error('unreachable');
    expect(judgement.withFloor.shortSteps).toBe(0);
    expect(judgement.trackingAlone.shortSteps).toBeGreaterThan(0);
    expect(judgement.savedShare).toBe(1);
  });

  it('stands a floor down that holds the high level through the low hours (on/off load)', () => {
    // The load switches on at hours the forecast cannot place: its floor comes half a cycle off,
    // held through the low spells and gone when the load is on.
    const judgement = judge(day(rampAt), (i) => (i % 24 < 12 ? LOW : 10));
    expect(judgement.kind).toBe('does-not-pay');
    if (judgement.kind === 'too-little-record') throw new Error('unreachable');
    // 45 % more instances for the few short steps a floor left from the spell before still saves.
    expect(judgement.extraCostShare).toBeCloseTo(0.45, 2);
    expect(judgement.savedShare).toBeLessThan(0.35);
    expect(judgement.reason).toMatch(/short of 288 steps for \d+\.\d % more instances/);
  });

  it('keeps a floor that costs almost nothing, whatever it saved', () => {
    // One step a day one instance above what target tracking holds.
    const judgement = judge(
      day(() => 120),
      (i) => (i === 100 ? 3 : LOW),
    );
    expect(judgement.kind).toBe('pays');
  });

  it('stands down a floor that saves less than the share it adds to the cost', () => {
    // Saves the two late steps of one ramp a day (of the 24 short steps) for much more.
    const load = day(rampAt);
    const floor = (i: number) => (i < 24 ? 10 : i % 24 < 12 ? LOW : 4);
    const judgement = judge(load, floor);
    if (judgement.kind === 'too-little-record') throw new Error('unreachable');
    expect(judgement.savedShare).toBeGreaterThan(0);
    expect(judgement.savedShare).toBeLessThan(judgement.extraCostShare);
    expect(judgement.kind).toBe('does-not-pay');
  });

  it('keeps a floor where target tracking’s replay is too seldom short to show what it saves', () => {
    // A target tracking that the averaged steps show short only at one ramp a day (3 steps < 12):
    // the floor held all day costs much and saves nothing the replay can see, yet it stays.
    const load = day((i) => (i >= 100 && i < 112 ? 600 : 120));
    const judgement = judge(load, () => 10);
    if (judgement.kind === 'too-little-record') throw new Error('unreachable');
    expect(judgement.trackingAlone.shortSteps).toBeLessThan(12);
    expect(judgement.extraCostShare).toBeGreaterThan(1);
    expect(judgement.kind).toBe('pays');
    expect(judgement.reason).toMatch(/too seldom to judge the floor$/);
  });

  it('gives no verdict before the record holds enough steps with a floor', () => {
    const judgement = judge(day(rampAt), (i) => (i < 200 ? 10 : NONE), 260);
    expect(judgement).toEqual({
      kind: 'too-little-record',
      steps: 200,
      reason: '200 of the 260 steps with a recorded floor needed to judge it',
    });
  });
});
