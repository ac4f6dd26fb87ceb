import { outageScenario, runPrescaleOutage } from '../../../../shared/simulation/faults/prescale-outage';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';

describe('fault injection: Prescale down', () => {
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(outageScenario(1)));
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('keeps the pre-warm for the midday peak from the scheduled look-ahead while every Lambda is down', async () => {
    // Prescale runs 08:00-09:00 and stops; the 13:00 peak comes 4 hours later.
    const options = { seed: 1, downAtHourUtc: 9, runningHoursBefore: 1, measuredHours: 5 };
    const running = await runPrescaleOutage(lambdas, { ...options, variant: 'running' });
    const withLookAhead = await runPrescaleOutage(lambdas, { ...options, variant: 'down-with-look-ahead' });
    const without = await runPrescaleOutage(lambdas, { ...options, variant: 'down-without-look-ahead' });

    expect(withLookAhead.lookAheadActionsAtOutage).toBeGreaterThan(2);
    // While the loop is alive its look-ahead never runs: no two actors on one group.
    expect(running.lookAheadRunWhileAlive).toBe(0);
    expect(withLookAhead.lookAheadRunWhileAlive).toBe(0);
    expect(without.sloViolationMinutes - withLookAhead.sloViolationMinutes).toBeGreaterThanOrEqual(10);
    expect(withLookAhead.sloViolationMinutes).toBeLessThanOrEqual(1.2 * running.sloViolationMinutes + 5);
  }, 300_000);
});
