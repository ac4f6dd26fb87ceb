import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { buildTestApp, synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { REPO_ROOT } from '../helpers/source-imports';

/**
 * The alarm names of docs/OPERATIONS.md's "Alarms and what to do" table, as patterns: `…` stands
 * for any text, a `(note)` is dropped, `A / B` is two names, and trailing digits are the
 * per-function alarms (`FunctionErrors0`, `FunctionErrors1`, …).
 */
function documentedAlarms(): { name: string; pattern: RegExp }[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/OPERATIONS.md'), 'utf8');
  const table = text.split(/^\| alarm \| meaning \| first step \|$/m)[1]?.split(/\n\n/)[0] ?? '';
  const cells = [...table.matchAll(/^\| ([^|]+) \|/gm)].map((m) => (m[1] as string).trim());
  return cells
    .filter((cell) => !/^-+$/.test(cell))
    .flatMap((cell) => cell.replace(/\(.*?\)/g, '').split(' / '))
    .map((name) => name.trim())
    .map((name) => {
      const escaped = name.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return { name, pattern: new RegExp(`^${escaped.join('.*')}\\d*$`) };
    });
}

// Every optional part that brings an alarm of its own (the maintenance scan's dead letters,
// pricing.apply's InstanceTypesPricesFallback).
const WITH_SCAN = { ...TEST_CONFIG, rollingUpdate: { autoStartOnScheduledEvents: true } };
const { stack } = buildTestApp({ ...WITH_SCAN, pricing: { apply: true } });
const alarmIds = [
  ...new Set(
    stack.node
      .findAll()
      .filter((construct) => construct instanceof cloudwatch.Alarm)
      .map((alarm) => alarm.node.id),
  ),
];

describe("docs/OPERATIONS.md's alarm table", () => {
  const documented = documentedAlarms();

  it('finds the alarms of the stack and the rows of the table', () => {
    expect(alarmIds.length).toBeGreaterThan(10);
    expect(documented.length).toBeGreaterThan(5);
  });

  it('has a row for every alarm the stack creates, so an operator paged by one finds what to do', () => {
    const undocumented = alarmIds.filter((id) => !documented.some(({ pattern }) => pattern.test(id)));
    expect(undocumented).toEqual([]);
  });

  it('names no alarm the stack does not create', () => {
    const unknown = documented.filter(({ pattern }) => !alarmIds.some((id) => pattern.test(id)));
    expect(unknown.map(({ name }) => name)).toEqual([]);
  });
});

/** The CloudWatch alarms of a stack built from `config`, as CloudFormation resources. */
function templateAlarms(config: unknown): { Properties: Record<string, unknown> }[] {
  const resources = synthesizedTemplate(config).findResources('AWS::CloudWatch::Alarm');
  return Object.values(resources) as { Properties: Record<string, unknown> }[];
}

describe("docs/COST.md's alarm row", () => {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/COST.md'), 'utf8');
  const row =
    /^\| CloudWatch alarms \((\d+) standard-resolution metric alarms per deployment, (\d+) with `rollingUpdate\.autoStartOnScheduledEvents`.*, so (\d+) alarm metrics;.*\| (\d+) alarm metrics ÷ groups \| \$0\.10 \/ alarm metric \| (\d+\.\d\d) ÷ groups \|$/m.exec(
      text,
    );

  it('counts the alarms the stack creates, with and without the maintenance scan and pricing.apply, and prices the metrics they read', () => {
    expect(row).not.toBeNull();
    const [, defaults, withScan, alarmMetrics, priced, usd] = (row ?? []).map(Number);
    const byDefault = templateAlarms(TEST_CONFIG);
    // Alarms are billed per alarm metric: a metric-math alarm's each metric it reads.
    const readBy = (alarm: { Properties: Record<string, unknown> }) =>
      ((alarm.Properties.Metrics ?? []) as { MetricStat?: { Period: number } }[]).flatMap((query) =>
        query.MetricStat ? [query.MetricStat] : [],
      );
    const applying = /, (\d+) more with `pricing\.apply` \(`InstanceTypesPricesFallback`\),/.exec(
      row?.[0] ?? '',
    );
    expect({ defaults, withScan, alarmMetrics, withApply: Number(applying?.[1]) }).toEqual({
      defaults: byDefault.length,
      withScan: templateAlarms(WITH_SCAN).length,
      alarmMetrics: byDefault.reduce((sum, alarm) => sum + Math.max(1, readBy(alarm).length), 0),
      withApply: templateAlarms({ ...TEST_CONFIG, pricing: { apply: true } }).length - byDefault.length,
    });
    expect(priced).toBe(alarmMetrics);
    expect(usd).toBeCloseTo((alarmMetrics ?? 0) * 0.1, 2);
    // Standard resolution ($0.10 each): metrics on periods of a minute or more.
    for (const alarm of byDefault) {
      const periods = alarm.Properties.Metrics
        ? readBy(alarm).map((stat) => stat.Period)
        : [alarm.Properties.Period];
      for (const period of periods) expect(period).toBeGreaterThanOrEqual(60);
    }
  });
});

/** The Lambda functions of a stack built from `config`, as CloudFormation resources. */
function templateFunctions(config: unknown): { Properties: Record<string, unknown> }[] {
  const resources = synthesizedTemplate(config).findResources('AWS::Lambda::Function');
  return Object.values(resources) as { Properties: Record<string, unknown> }[];
}

/** Whether a function runs Powertools (`withMiddleware`), which publishes its `ColdStart` metric. */
const publishesColdStart = (fn: { Properties: Record<string, unknown> }) =>
  (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
    ?.POWERTOOLS_SERVICE_NAME !== undefined;

describe("docs/COST.md's cold-start row", () => {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/COST.md'), 'utf8');
  const row =
    /^\| Cold-start metrics \(.*: (\d+) per deployment, (\d+) with `rollingUpdate\.autoStartOnScheduledEvents`: the stack's Lambda functions, (\d+) \((\d+) with the scan\), less .*\| ≤ (\d+) metrics ÷ groups \| \$0\.30 \/ metric \| ≤ (\d+\.\d\d) ÷ groups \|$/m.exec(
      text,
    );

  it('counts the functions of the stack that publish a cold start, with and without the maintenance scan, and prices them', () => {
    expect(row).not.toBeNull();
    const [, defaults, withScan, lambdas, lambdasWithScan, priced, usd] = (row ?? []).map(Number);
    const byDefault = templateFunctions(TEST_CONFIG);
    const scanned = templateFunctions({
      ...TEST_CONFIG,
      rollingUpdate: { autoStartOnScheduledEvents: true },
    });
    expect({ defaults, withScan, lambdas, lambdasWithScan }).toEqual({
      defaults: byDefault.filter(publishesColdStart).length,
      withScan: scanned.filter(publishesColdStart).length,
      lambdas: byDefault.length,
      lambdasWithScan: scanned.length,
    });
    // The one function without Powertools is the custom-resource provider's (CDK's framework).
    expect(byDefault.filter((fn) => !publishesColdStart(fn)).map((fn) => fn.Properties.Handler)).toEqual([
      'framework.onEvent',
    ]);
    expect(priced).toBe(defaults);
    expect(usd).toBeCloseTo((defaults ?? 0) * 0.3, 2);
    expect(text).toContain(`all ${defaults} functions started cold in every hour of the month`);
  });
});
