/**
 * `npm run verify:deploy`: what a real deployment would allow and refuse, per configuration.
 * 1. Each configuration of the deploy matrix is synthesized (cdk-nag attached) and its IAM
 *    evaluated with iam-simulate: principals × actions needed → allowed/denied, every mutation of a
 *    non-enrolled group → must be denied, service deliveries → allowed from their own source and
 *    denied on another account's behalf (`checkDeployment`).
 * 2. The rolling-update state machine runs (rollout and rollback) with every Task call checked.
 * 3. `npm start` (prescale policy), the campaign, dependency and side-service (EC2, Pricing,
 *    X-Ray, Timestream) scenarios and `bench:faults` run
 *    with `PRESCALE_AWS_CHECKS_REPORT_DIR` set: every request their handlers send is validated
 *    against the API models and authorized as the deployed role; the ledgers are summarized.
 * Options: `--static` (steps 1–2 only), `--days N` for npm start (default 7).
 * Exits non-zero on any needed call denied, non-enrolled mutation allowed, delivery refused,
 * request-model violation, or call missing from the handlers' call lists.
 */
import '../helpers/setup-env';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ChecksReport } from '../../shared/simulation/aws-checks/checks-from-environment';
import { AWS_CHECKS_REPORT_DIR } from '../../shared/simulation/aws-checks/checks-from-environment';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import {
  checkDeployment,
  type DeploymentCheck,
  holds,
} from '../../shared/simulation/aws-checks/deployment-checks';
import { groupLaunchTemplateId } from '../../shared/simulation/aws-checks/group-launch-template';
import { StateMachineTaskChecks } from '../../shared/simulation/aws-checks/state-machine-task-checks';
import { unneededGrants } from '../../shared/simulation/aws-checks/unneeded-grants';
import {
  DEPLOY_CONFIGURATIONS,
  DEPLOY_REGION,
  synthConfiguration,
} from '../infra/deploy-matrix/deploy-configurations';
import { EXECUTION_NAME, RollingUpdateWorld, T0 } from '../infra/rolling-update-harness';

const REPO_ROOT = path.resolve(__dirname, '../..');
let problems = 0;

function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`).join('\n');
}

function printChecks(checks: readonly DeploymentCheck[]): void {
  const byPrincipal = new Map<string, { allowed: Set<string>; denied: Set<string> }>();
  for (const c of checks.filter((c) => c.kind === 'needed call')) {
    const row = byPrincipal.get(c.principal) ?? { allowed: new Set(), denied: new Set() };
    (c.actual === 'allowed' ? row.allowed : row.denied).add(c.action);
    byPrincipal.set(c.principal, row);
  }
  console.log('\nNeeded calls (principal × action):');
  console.log(
    table([
      ['principal', 'allowed', 'DENIED'],
      ...[...byPrincipal].map(([p, r]) => [p, [...r.allowed].join(' '), [...r.denied].join(' ')]),
    ]),
  );
  const stray = checks.filter((c) => c.kind === 'non-enrolled mutation');
  const leaked = [
    ...new Set(stray.filter((c) => !holds(c)).map((c) => `${c.principal} ${c.action} (${c.note})`)),
  ];
  console.log(
    `\nNon-enrolled groups: ${stray.length} mutations asked, ${stray.length - stray.filter((c) => !holds(c)).length} denied.`,
  );
  for (const l of leaked) console.log(`  ALLOWED: ${l}`);
  console.log('\nService deliveries:');
  const deliveries = new Map<string, string>();
  for (const c of checks.filter((c) => c.kind === 'service delivery' || c.kind === 'confused deputy')) {
    const label = `${c.kind === 'confused deputy' ? 'foreign ' : ''}${c.note.replace(/PrescaleOperations\w+/, 'alarm(s)')} ${c.action}`;
    if (!holds(c)) deliveries.set(label, `${c.actual}, expected ${c.expected}`);
    else if (!deliveries.has(label)) deliveries.set(label, c.actual);
  }
  for (const [label, verdict] of deliveries) console.log(`  ${verdict.padEnd(28)} ${label}`);
  problems += checks.filter((c) => !holds(c)).length;
}

async function runStateMachine(
  account: DeployedAccount,
  tags: Record<string, string>,
  failing: boolean,
  standsFor?: { harnessGroup: string; group: string; launchTemplateId: string },
) {
  const definition = JSON.parse(account.stateMachines[0]?.definition ?? '{}');
  const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
  if (failing) world.forwardScript = ['InProgress', 'Failed'];
  const checks = new StateMachineTaskChecks(account, () => tags, standsFor);
  world.taskChecks = (state, input) => checks.check(state, input);
  const waits = ['Wait for low load', 'Wait before checking progress', 'Wait during rollback'];
  const execution = new StateMachine(definition).run(
    { groupName: 'web', launchTemplateVersion: '7' } as never,
    {
      overrides: {
        taskResourceLocalHandlers: world.handlers() as never,
        waitTimeOverrides: Object.fromEntries(waits.map((w) => [w, 0])),
        retryIntervalOverrides: Object.fromEntries(Object.keys(world.handlers()).map((s) => [s, 0])),
      },
      context: { Execution: { Name: EXECUTION_NAME }, State: { EnteredTime: new Date(T0).toISOString() } },
    },
  );
  const outcome = await execution.result.then(
    () => 'succeeded',
    (error: { cause?: { name?: string; message?: string } }) =>
      `failed: ${error.cause?.name ?? 'unknown'}: ${error.cause?.message ?? String(error)}`,
  );
  return { checks, outcome };
}

async function staticMatrix(): Promise<void> {
  for (const configuration of DEPLOY_CONFIGURATIONS) {
    console.log(`\n## ${configuration.name}`);
    let synthesized: ReturnType<typeof synthConfiguration>;
    try {
      synthesized = synthConfiguration(configuration);
    } catch (error) {
      problems += 1;
      console.log(`SYNTH FAILED: ${(error as Error).message.split('\n').slice(0, 6).join('\n  ')}`);
      continue;
    }
    console.log('cdk synth: passes cdk-nag (no unacknowledged finding)');
    const account = new DeployedAccount(synthesized.template, { region: DEPLOY_REGION });
    printChecks(await checkDeployment(account, synthesized.enrolment));
    const unneeded = unneededGrants(account, synthesized.enrolment);
    console.log(
      `\nGrants no call needs (least-privilege review, not counted as problems): ${unneeded.length}`,
    );
    for (const g of unneeded) console.log(`  ${g.principal}: ${g.action}`);
    const tag = synthesized.enrolment.groups.tag;
    const tags = tag ? { [tag.key]: tag.value } : {};
    // Enrolled by name only: the harness's group stands for the first named group and its template.
    const named = synthesized.enrolment.groups.names?.[0];
    const standsFor =
      tag || !named
        ? undefined
        : {
            harnessGroup: 'web',
            group: named,
            launchTemplateId: groupLaunchTemplateId(named, synthesized.enrolment),
          };
    for (const failing of [false, true]) {
      const { checks, outcome } = await runStateMachine(account, tags, failing, standsFor);
      problems += checks.refusals.length;
      console.log(
        `\nState machine ${failing ? 'rollback' : 'rollout'} (${outcome}): ${checks.authorized.size} Task permissions checked, ${checks.refusals.length} refused${checks.refusals.map((r) => `\n  ${r.state}: ${r.error}: ${r.cause}`).join('')}`,
      );
    }
  }
}

function runtime(days: string): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'prescale-verify-deploy-'));
  const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
  const runs: [string, string[]][] = [
    [
      'npm start (prescale policy)',
      [
        'shared/simulation/cli.ts',
        '--policy',
        'prescale',
        '--days',
        days,
        '--report',
        path.join(dir, 'report.html'),
      ],
    ],
    ['campaign, dependency and side-service scenarios', ['test/deploy/run-scenarios.ts']],
    ['bench:faults', ['test/bench/faults.ts']],
  ];
  for (const [name, args] of runs) {
    const before = new Set(readdirSync(dir));
    console.log(`\n## ${name}: ${['tsx', ...args].join(' ')}`);
    const out = spawnSync(tsx, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, [AWS_CHECKS_REPORT_DIR]: dir },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (out.status !== 0) {
      problems += 1;
      console.log(`FAILED (exit ${out.status}): ${(out.stderr || out.stdout).slice(-2000)}`);
    }
    for (const file of readdirSync(dir).filter((f) => f.startsWith('checks-') && !before.has(f)))
      summarize(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ChecksReport);
  }
}

function summarize(report: ChecksReport): void {
  const rows = new Map<string, { allowed: number; denied: number }>();
  for (const d of report.decisions) {
    const key = `${d.principal} ${d.action}`;
    const row = rows.get(key) ?? { allowed: 0, denied: 0 };
    if (d.allowed) row.allowed += d.count;
    else row.denied += d.count;
    rows.set(key, row);
  }
  const needed = report.decisions.filter((d) => !d.allowed && !d.notEnrolled);
  problems += needed.length + report.violations.length + report.unlistedCalls.length;
  console.log(
    `configuration ${report.configSha}: ${report.decisions.reduce((n, d) => n + d.count, 0)} authorizations`,
  );
  console.log(
    table([
      ['principal action', 'allowed', 'denied'],
      ...[...rows].map(([k, r]) => [k, String(r.allowed), String(r.denied)]),
    ]),
  );
  console.log(
    `request-model violations: ${report.violations.length}; needed calls denied: ${needed.length}; calls missing from the call lists: ${report.unlistedCalls.length}`,
  );
  for (const v of report.violations.slice(0, 10))
    console.log(`  ${v.principal} ${v.call}: ${v.messages.join('; ')}`);
  for (const d of needed.slice(0, 10))
    console.log(`  DENIED ${d.principal} ${d.action} on ${d.resourceArn}: ${d.reason}`);
  for (const u of report.unlistedCalls) console.log(`  UNLISTED ${u}`);
}

async function main(argv: readonly string[]): Promise<number> {
  await staticMatrix();
  const daysAt = argv.indexOf('--days');
  if (!argv.includes('--static')) runtime(daysAt >= 0 ? (argv[daysAt + 1] ?? '7') : '7');
  console.log(`\n${problems === 0 ? 'OK' : `${problems} problem(s)`}: verify:deploy`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
