import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runPolicy } from '../../../shared/simulation/run/run-policy';
import type { Scenario } from '../../../shared/simulation/run/scenario';
import { FRONTIER_OPTIONS, frontierArgs } from '../../bench/lib/frontier-args';
import { scenarioFor } from '../../bench/lib/frontier-scenario';

const parse = (...args: string[]) =>
  frontierArgs(parseArgs({ args, options: FRONTIER_OPTIONS, strict: true, allowPositionals: false }).values);

/** Four days of a daily cycle at 5 minutes: three of history, half a day evaluated. */
function traceFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'frontier-')), 'daily.csv');
  const rows = Array.from({ length: 4 * 288 }, (_, i) => {
    const load = 1 + 0.8 * Math.sin((2 * Math.PI * (i % 288)) / 288);
    return `${new Date(Date.UTC(2014, 0, 6) + i * 300_000).toISOString()},${load}`;
  });
  writeFileSync(file, ['timestamp,value', ...rows].join('\n'));
  return file;
}

const trace = { label: 'daily', options: { traceFile: traceFile() } };
const scenarioOf = (...flags: string[]) => {
  const scenario = scenarioFor(parse('--days', '0.5', ...flags), trace, 3, 1);
  if ('skipped' in scenario) throw new Error(scenario.skipped);
  return scenario;
};

describe('bench:frontier --metric-delay', () => {
  it("puts the delay on every trace's scenario, and none without the flag", () => {
    expect(scenarioOf('--metric-delay', '2').metricDelayMinutes).toBe(2);
    expect(scenarioOf().metricDelayMinutes).toBeUndefined();
  });

  it("reaches the world of every run: target tracking's alarm reads the late data", async () => {
    const supply = async (scenario: Scenario) => (await runPolicy('reactive', scenario)).samples.supply;
    const onTime = await supply(scenarioOf());
    const late = await supply(scenarioOf('--metric-delay', '2'));
    expect(late).toHaveLength(onTime.length);
    expect(late).not.toEqual(onTime);
  });
});

describe('bench:frontier --deregistration-delay', () => {
  it("puts the drain on every trace's scenario, and none without the flag", () => {
    expect(scenarioOf('--deregistration-delay', '300').deregistrationDelaySeconds).toBe(300);
    expect(scenarioOf().deregistrationDelaySeconds).toBeUndefined();
  });

  it('reaches the group of every run: what reactive scales in stays billed while it drains', async () => {
    const billed = async (scenario: Scenario) => (await runPolicy('reactive', scenario)).samples.billed;
    const atOnce = await billed(scenarioOf());
    const draining = await billed(scenarioOf('--deregistration-delay', '300'));
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    expect(draining).toHaveLength(atOnce.length);
    expect(sum(draining)).toBeGreaterThan(sum(atOnce));
  });
});
