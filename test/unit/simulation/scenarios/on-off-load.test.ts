import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import type { PolicyRun } from '../../../../shared/simulation/run/policy-run';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import { runPolicy } from '../../../../shared/simulation/run/run-policy';
import { seededRandom } from '../../../../shared/simulation/seeded-random';

const DAY_MINUTES = 1440;

/**
 * Nine days of load that switches on twice a day at hours drawn at random, for one to three hours
 * at 90 % of an instance's worth ×  its scale, 8 % otherwise: nothing a forecast can place.
 */
function onOffTrace(file: string): void {
  const random = seededRandom(5);
  const days = 9;
  const on = new Array<boolean>(days * DAY_MINUTES).fill(false);
  for (let day = 0; day < days; day += 1)
    for (let spell = 0; spell < 2; spell += 1) {
      const start = day * DAY_MINUTES + random.int(0, 1200);
      const minutes = random.int(60, 180);
      for (let m = start; m < Math.min(on.length, start + minutes); m += 1) on[m] = true;
    }
  const startMs = Date.UTC(2024, 0, 1);
  const rows = on.map((isOn, m) => {
    const stamp = new Date(startMs + m * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    return `${stamp},${((isOn ? 90 : 8) + random.next() * 2).toFixed(3)}`;
  });
  writeFileSync(file, ['timestamp,value', ...rows].join('\n'));
}

describe('Prescale on on/off load (real handlers on the simulated AWS)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prescale-on-off-'));
  const file = path.join(dir, 'on-off.csv');
  onOffTrace(file);
  // A week of history, then a day and a half: the first day's record judged, the rest after it.
  const scenario = buildScenario({ traceFile: file, seed: 1, warmupDays: 7, days: 1.5, peakInstances: 40 });
  let lambdas: PrescaleLambdas;
  let checked: PolicyRun;
  let unchecked: PolicyRun;
  let reactive: PolicyRun;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(scenario));
    checked = await runPolicy('prescale', scenario, { prescale: lambdas, failOnPrescaleErrors: true });
    unchecked = await runPolicy('prescale', scenario, {
      prescale: lambdas,
      failOnPrescaleErrors: true,
      knobs: { floorCheckDays: 0 },
    });
    reactive = await runPolicy('reactive', scenario);
  });

  afterAll(async () => {
    await lambdas.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The last minute of the window whose MinSize is above the group's own, in hours from its start. */
  const lastRaisedHours = (run: PolicyRun) => {
    let last = -1;
    run.samples.minSize.forEach((minSize, m) => {
      if (minSize > scenario.minSize) last = m;
    });
    return last / 60;
  };
  const billedAfterFirstDay = (run: PolicyRun) =>
    run.samples.billed.slice(DAY_MINUTES).reduce((a, b) => a + b, 0);

  it('stands its floor down once its first day’s record is judged, while a floor left on keeps raising MinSize', () => {
    // The judgement needs 90 % of a day of record: it comes in the first day's last hours.
    expect(lastRaisedHours(checked)).toBeGreaterThan(20);
    expect(lastRaisedHours(checked)).toBeLessThan(24);
    expect(lastRaisedHours(unchecked)).toBeGreaterThan(30);
  });

  it('then costs no more than target tracking alone, where the floor left on cost more', () => {
    const standing = billedAfterFirstDay(checked);
    expect(standing).toBeLessThanOrEqual(billedAfterFirstDay(reactive) * 1.01);
    expect(billedAfterFirstDay(unchecked)).toBeGreaterThan(standing * 1.05);
  });
});
