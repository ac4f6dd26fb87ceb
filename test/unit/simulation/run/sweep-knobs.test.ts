import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { DEFAULT_PRESCALE_TARGETS_PCT, knobGrid } from '../../../../shared/simulation/run/sweep-knobs';

describe('knobGrid', () => {
  const scenario = buildScenario({ seed: 1, warmupDays: 1, days: 0.25 });
  const targetsOf = (grid: ReturnType<typeof knobGrid>, policy: string) =>
    grid.filter((s) => s.policy === policy).map((s) => s.knobs.targetPct as number);

  it('sweeps Prescale past both ends of reactive’s target range by default', () => {
    const grid = knobGrid(scenario);
    const prescale = targetsOf(grid, 'prescale');
    const reactive = targetsOf(grid, 'reactive');
    expect(prescale).toEqual([...DEFAULT_PRESCALE_TARGETS_PCT]);
    expect(Math.max(...prescale)).toBeGreaterThan(Math.max(...reactive));
    expect(Math.min(...prescale)).toBeLessThan(Math.min(...reactive) + 10);
  });

  it('marks only the scenario’s target as Prescale’s default setting', () => {
    const defaults = knobGrid(scenario).filter((s) => s.policy === 'prescale' && s.isDefault);
    expect(defaults.map((s) => s.knobs.targetPct)).toEqual([scenario.targetLoadPerInstance]);
  });

  it('uses the Prescale targets it is given instead of the default list', () => {
    const grid = knobGrid(scenario, { prescaleTargetsPct: [55, 85] });
    expect(targetsOf(grid, 'prescale')).toEqual([55, 85]);
    expect(grid.some((s) => s.policy === 'prescale' && s.isDefault)).toBe(false);
  });
});
