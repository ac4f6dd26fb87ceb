/**
 * Lambda bundle size and module-initialisation time per function: each handler bundled as
 * `PrescaleFunction` bundles it for Lambda, then loaded (`require`) in a fresh Node process with a
 * Lambda-like environment, several times; reports the median wall time and the median CPU time
 * (user + system) of the `require`, the steadier figure on a shared machine, where waiting for a
 * core inflates wall time. With `--baseline DIR` (another
 * checkout of this repo, e.g. `git archive <commit> | tar -x -C DIR` plus a `node_modules` link) the
 * same is measured for that tree in the same run, alternating, and the ratio is printed: the
 * baseline bundled with this tree's esbuild options and plugins, or without the plugins
 * (`--baseline-build without-plugins`) for a commit from before them (b30d130 and earlier).
 *
 * Run: npx tsx test/bench/bundles.ts [--runs N] [--baseline DIR [--baseline-build prescale|without-plugins]]
 * (npm run bench:bundles)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { parseWholeNumber } from '../../shared/simulation/parse-cli-args';
import { bundleFunction, type FunctionBundle, functionNames } from '../helpers/bundle-function';
import { benchArgs, benchValue } from './lib/bench-args';

const HELP = `Usage: npx tsx test/bench/bundles.ts [--runs N] [--baseline DIR [--baseline-build HOW]]

  --runs N              fresh-process loads per bundle (median reported). Default: 5
  --baseline DIR        another checkout of the repo to measure in the same run (ratio new / baseline)
  --baseline-build HOW  prescale: the baseline bundled as this tree bundles (default);
                        without-plugins: without the esbuild plugins, as commits before them were built
  --help                this text`;

const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHMARK000000',
  AWS_SECRET_ACCESS_KEY: 'benchmark',
  AWS_LAMBDA_FUNCTION_NAME: 'prescale-bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'prescale',
  POWERTOOLS_METRICS_NAMESPACE: 'Prescale',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  PRESCALE_CONFIG: JSON.stringify({ groups: { names: ['web'] } }),
  PRESCALE_STATE_TABLE: 'prescale-state',
  PRESCALE_DEPLOYMENT: 'Prescale',
  PRESCALE_GROUP_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/prescale-work',
  PRESCALE_EVENT_BUS: 'prescale-bus',
  PRESCALE_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:prescale',
  PRESCALE_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/prescale-scheduler',
  PRESCALE_SCHEDULER_GROUP: 'prescale',
  PRESCALE_PREWARM_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:prewarm',
  PRESCALE_ROLLING_UPDATE_STATE_MACHINE_ARN:
    'arn:aws:states:us-east-1:123456789012:stateMachine:prescale-rolling-update',
  PRESCALE_UPDATE_PLAN_STATE_MACHINE_ARN:
    'arn:aws:states:us-east-1:123456789012:stateMachine:prescale-update-plan',
  PRESCALE_UPDATE_PLAN_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/prescale-update-plan-dlq',
  PRESCALE_KILL_SWITCH_PARAMETER: '/prescale/kill-switch',
  PRESCALE_CAMPAIGN_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/prescale-campaign-dlq',
  PRESCALE_CAMPAIGN_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:prescale-campaign-dlq',
};

const LOAD = `const t = process.hrtime.bigint(); const c = process.cpuUsage(); require(process.argv[1]);
const cpu = process.cpuUsage(c);
process.stdout.write(JSON.stringify({ wallMs: Number(process.hrtime.bigint() - t) / 1e6, cpuMs: (cpu.user + cpu.system) / 1e3 }));`;

interface LoadTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function loadTime(file: string): LoadTime {
  try {
    const out = execFileSync(process.execPath, ['-e', LOAD, file], {
      env: { ...LAMBDA_ENV, PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out) as LoadTime;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    const reason = stderr.split('\n').find((line) => /Error/.test(line) && line.length < 500) ?? 'see stderr';
    throw new Error(`loading ${file} failed: ${reason}`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function write(bundle: FunctionBundle, dir: string): Promise<string> {
  const file = path.join(dir, bundle.name, 'index.js');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bundle.code);
  return file;
}

async function main(): Promise<void> {
  const values = benchArgs(HELP, {
    runs: { type: 'string', default: '5' },
    baseline: { type: 'string' },
    'baseline-build': { type: 'string', default: 'prescale' },
  });
  const runs = benchValue(
    () => parseWholeNumber('--runs', values.runs, { noun: 'a whole number', min: 1 }),
    HELP,
  );
  const baselineBuild = values['baseline-build'];
  if (baselineBuild !== 'prescale' && baselineBuild !== 'without-plugins')
    throw new Error(`--baseline-build expects prescale or without-plugins, got ${baselineBuild}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prescale-bundles-'));
  const baseline = values.baseline ? path.resolve(values.baseline) : undefined;
  console.log(
    `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    '| function | bundle (gzip) | init wall ms | init CPU ms |' +
      (baseline
        ? ' baseline bundle (gzip) | baseline init wall ms | baseline init CPU ms | init CPU ratio |'
        : ''),
  );
  console.log(`| --- | --- | --- | --- |${baseline ? ' --- | --- | --- | --- |' : ''}`);
  for (const name of functionNames()) {
    const bundle = await bundleFunction(name);
    const file = await write(bundle, path.join(dir, 'new'));
    const old = baseline ? await bundleFunction(name, baseline, baselineBuild) : undefined;
    const oldFile = old ? await write(old, path.join(dir, 'baseline')) : undefined;
    const times: LoadTime[] = [];
    const oldTimes: LoadTime[] = [];
    for (let i = 0; i < runs; i += 1) {
      times.push(loadTime(file));
      if (oldFile) oldTimes.push(loadTime(oldFile));
    }
    const wall = (xs: LoadTime[]) => median(xs.map((x) => x.wallMs));
    const cpu = (xs: LoadTime[]) => median(xs.map((x) => x.cpuMs));
    const row = [
      name,
      `${kb(bundle.bytes)} (${kb(bundle.gzipBytes)})`,
      wall(times).toFixed(0),
      cpu(times).toFixed(0),
    ];
    if (old)
      row.push(
        `${kb(old.bytes)} (${kb(old.gzipBytes)})`,
        wall(oldTimes).toFixed(0),
        cpu(oldTimes).toFixed(0),
        (cpu(times) / cpu(oldTimes)).toFixed(2),
      );
    console.log(`| ${row.join(' | ')} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
