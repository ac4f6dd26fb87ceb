import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A group without scaling policies: Prescale sets DesiredCapacity = MinSize. */
const GROUP = { name: 'web', minSize: 1, maxSize: 40, desiredCapacity: 1, inServiceCapacity: 1 };

// Four days of 5-minute load at 55 with one step of 85 in every hour: at target 80 one instance,
// at a 60 SLO the hour's peak needs two.
const actual = Array.from({ length: 4 * 288 }, (_, i) => (i % 12 === 7 ? 85 : 55));
const defaults = { targetLoadPerInstance: 80, burstFloorWindowMinutes: 0, scaleInAhead: false };

describe('scaleGroups with recurring hourly peaks', () => {
  it("holds the one instance more the hour's recurring peak needs at the SLO when the group opts in", async () => {
    const withSlo = await run({
      forecastLoad: 55,
      actual,
      group: GROUP,
      defaults: { ...defaults, sloLoadPerInstance: 60, recurringPeakDays: 7 },
    });
    const outcome = withSlo.result?.kind === 'ran' ? withSlo.result.outcome : undefined;
    expect(outcome).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
    expect(outcome?.reason).toContain(
      "one instance more (2, not 1) for the hour's recurring peak of 85 within the SLO of 60 per instance",
    );
  });

  it('opts in by the prescale:recurring-peak-days tag with the setting off', async () => {
    const tagged = await run({
      forecastLoad: 55,
      actual,
      group: { ...GROUP, tags: { 'prescale:recurring-peak-days': '7' } },
      defaults: { ...defaults, sloLoadPerInstance: 60 },
    });
    expect(tagged.result?.kind === 'ran' && tagged.result.outcome).toMatchObject({
      after: { minSize: 2, desiredCapacity: 2 },
    });
  });

  it('reports and ignores a tag asking more days than the history read holds, as synth refuses them', async () => {
    const tagged = (days: string) =>
      run({
        forecastLoad: 55,
        actual,
        group: { ...GROUP, tags: { 'prescale:recurring-peak-days': days } },
        defaults: { ...defaults, sloLoadPerInstance: 60, historyDays: 4 },
      }).then((r) => (r.result?.kind === 'ran' ? r.result.outcome : undefined));
    const beyond = await tagged('7');
    expect(beyond?.reason).toContain(
      'ignored tag prescale:recurring-peak-days=7 (expected a whole number 0–4, at most historyDays)',
    );
    expect(beyond?.reason).not.toContain('recurring peak of');
    expect(await tagged('4')).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
  });

  it('applies the same rule at and below the SLO, where the plan at the target may already hold the peak', async () => {
    const opted = (targetLoadPerInstance: number, sloLoadPerInstance: number) =>
      run({
        forecastLoad: 55,
        actual,
        group: GROUP,
        defaults: { ...defaults, targetLoadPerInstance, sloLoadPerInstance, recurringPeakDays: 7 },
      }).then((r) => (r.result?.kind === 'ran' ? r.result.outcome : undefined));
    // Target = SLO = 80: one instance for 55, two for the peak of 85.
    const atSlo = await opted(80, 80);
    expect(atSlo).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
    expect(atSlo?.reason).toContain("for the hour's recurring peak of 85 within the SLO of 80 per instance");
    // Target 58 below the SLO of 60: one instance for 55 at the target, two for the peak at the SLO.
    const below = await opted(58, 60);
    expect(below).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
    expect(below?.reason).toContain("for the hour's recurring peak of 85 within the SLO of 60 per instance");
    // Target 40 below the SLO of 60: the plan's two instances for 55 already hold the peak; no third.
    const covered = await opted(40, 60);
    expect(covered).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
    expect(covered?.reason).not.toContain('recurring peak');
  });

  it('plans the forecast alone by default, without an SLO, or with the setting at 0', async () => {
    for (const extra of [
      { sloLoadPerInstance: 60 },
      { recurringPeakDays: 7 },
      { sloLoadPerInstance: 60, recurringPeakDays: 0 },
    ]) {
      const r = await run({ forecastLoad: 55, actual, group: GROUP, defaults: { ...defaults, ...extra } });
      const outcome = r.result?.kind === 'ran' ? r.result.outcome : undefined;
      expect(outcome).toMatchObject({ kind: 'unchanged' });
      expect(outcome?.reason).not.toContain('recurring peak');
    }
  });
});
