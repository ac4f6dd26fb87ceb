/**
 * `npm run verify:deploy`: what a real deployment would allow and refuse, per configuration.
 * 1. Each configuration of the deploy matrix is synthesized (cdk-nag attached) and its IAM
 *    evaluated with iam-simulate: principals × actions needed → allowed/denied, every mutation of a
 *    non-enrolled group → must be denied, service deliveries → allowed from their own source and
 *    denied on another account's behalf (`checkDeployment`).
 * 2. Each configuration then runs its simulation scenarios (`runConfiguration`): the scaling loop,
 *    the campaign pre-warm, the rolling update (rollout and rollback), the update requests and
 *    the update-plan state machine they start, the look-ahead's removal at stack deletion, and where configured the
 *    instance-type selection with apply, the maintenance scan, X-Ray discovery and Timestream
 *    history, through the real handlers loaded with the configuration the template deploys, every
 *    request authorized as its deployed principal and validated against the API model; then every
 *    mutation of the world's non-enrolled groups is attempted as every principal.
 * 3. `npm start` (prescale policy), the campaign, dependency and side-service (EC2, Pricing,
 *    X-Ray, Timestream) scenarios and `bench:faults` run
 *    with `PRESCALE_AWS_CHECKS_REPORT_DIR` set: every request their handlers send is validated
 *    against the API models and authorized as the deployed role; the ledgers are summarized.
 * Options (`--help` lists them, verify-deploy-args.ts checks them): `--static` (steps 1–2 only),
 * `--days N` for npm start (default 7), `--matrix-hours N` for each configuration's loop in step 2
 * (default 1).
 * Exits non-zero on any needed call denied, non-enrolled mutation or mutation of a group another
 * deployment owns allowed, delivery refused,
 * request-model violation, call missing from the handlers' call lists, Task call refused, call
 * the simulated world does not answer, or handler error.
 */
import '../helpers/setup-env';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChecksReport } from '../../shared/simulation/aws-checks/checks-from-environment';
import { AWS_CHECKS_REPORT_DIR } from '../../shared/simulation/aws-checks/checks-from-environment';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import {
  checkDeployment,
  type DeploymentCheck,
  holds,
} from '../../shared/simulation/aws-checks/deployment-checks';
import { unneededGrants } from '../../shared/simulation/aws-checks/unneeded-grants';
import { benchArgs } from '../bench/lib/bench-args';
import { createTestTempRoot, removeTestTempRoot } from '../helpers/test-temp-root';
import {
  DEPLOY_CONFIGURATIONS,
  DEPLOY_REGION,
  synthConfiguration,
} from '../infra/deploy-matrix/deploy-configurations';
import { type ConfigurationRun, runConfiguration } from '../infra/deploy-matrix/run-configuration';
import {
  VERIFY_DEPLOY_HELP,
  VERIFY_DEPLOY_OPTIONS,
  type VerifyDeployArgs,
  verifyDeployArgs,
} from './verify-deploy-args';

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
  const owned = checks.filter((c) => c.kind === "another deployment's group");
  const taken = [
    ...new Set(owned.filter((c) => !holds(c)).map((c) => `${c.principal} ${c.action} (${c.note})`)),
  ];
  console.log(
    `Enrolled groups another deployment owns: ${owned.length} mutations asked, ${owned.length - owned.filter((c) => !holds(c)).length} denied.`,
  );
  for (const t of taken) console.log(`  ALLOWED: ${t}`);
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

async function configurationMatrix(matrixHours: number): Promise<void> {
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
    printRuntime(await runConfiguration(synthesized, { hours: matrixHours }), matrixHours);
  }
}

/** Prints the state machines' runs on the world: each rolling update's course and end, each update plan's. */
function printWorkflowRuns(run: ConfigurationRun): void {
  for (const u of run.rollingUpdates) {
    console.log(
      `State machine ${u.kind} (${u.outcome.slice(0, 80)}): ${u.authorized.size} Task permissions checked, ${u.refusals.length} refused, ${u.lambdaTasks.length} Lambda tasks run by the real handlers${u.refusals.map((r) => `\n  ${r.state}: ${r.error}: ${r.cause}`).join('')}`,
    );
    const held = u.loopDuring.filter((o) => o.startsWith('held: group is held by')).length;
    console.log(
      `  on the world: ${u.minutes} simulated min, refreshes ${u.group.refreshes.join(' < ')}, instances on version ${u.group.versions.join(', ')} (expected ${u.endsOn}); sizes set ${u.resized.map((r) => r.replace(/: min \d+ desired /, ' → ')).join(', ') || 'none'} (peak desired ${u.peakDesired}); loop runs held by the lock ${held}/${u.loopDuring.length}; recorded ${u.stateTable.recordedStatus ?? 'nothing'}; ${u.notified.length} notification(s); ${u.raised.length} service error(s)${u.staged.length > 0 ? ` (and ${u.staged.length} staged: ${u.staged.join('; ')})` : ''}${u.raised.map((r) => `\n  ${r}`).join('')}`,
    );
  }
  for (const [i, p] of run.updatePlans.entries())
    console.log(
      `Update plan${i === 0 ? '' : ', its child failing'} (${p.outcome.slice(0, 80)}): ${p.authorized.size} Task permissions checked, ${p.refusals.length} refused, ${p.lambdaTasks.length} Lambda tasks run by the real handlers; children ${p.childRuns.map((c) => c.slice(0, 60)).join(', ')}${[...p.refusals.map((r) => `${r.state}: ${r.error}: ${r.cause}`), ...p.childProblems].map((r) => `\n  ${r}`).join('')}`,
    );
}

/** Prints one configuration's runtime run and counts its problems. */
function printRuntime(run: ConfigurationRun, hours: number): void {
  console.log(
    `\nRuntime: scenarios through the real handlers (loop: ${hours} simulated hour(s)), as deployed:`,
  );
  console.log(
    table([
      ['scenario', 'outcome', 'calls not simulated yet'],
      ...run.scenarios.map((s) => [s.scenario, s.detail.slice(0, 110), s.unsimulated.join(' ')]),
    ]),
  );
  const rows = new Map<string, { allowed: number; denied: number }>();
  for (const d of run.decisions) {
    const row = rows.get(`${d.principal} ${d.action}`) ?? { allowed: 0, denied: 0 };
    if (d.allowed) row.allowed += d.count;
    else row.denied += d.count;
    rows.set(`${d.principal} ${d.action}`, row);
  }
  console.log(
    table([
      ['principal action (handlers)', 'allowed', 'denied'],
      ...[...rows].map(([k, r]) => [k, String(r.allowed), String(r.denied)]),
    ]),
  );
  printWorkflowRuns(run);
  const unsimulated = run.scenarios.flatMap((s) => s.unsimulated);
  console.log(
    `needed calls denied: ${run.neededDenies.length}; request-model violations: ${run.violations.length}; calls missing from the call lists: ${run.unlistedCalls.length}; handler errors: ${run.handlerErrors.length}`,
  );
  for (const d of run.neededDenies) console.log(`  DENIED ${d.principal} ${d.action} on ${d.resourceArn}`);
  for (const v of run.violations) console.log(`  ${v.principal} ${v.call}: ${v.messages.join('; ')}`);
  for (const u of run.unlistedCalls) console.log(`  UNLISTED ${u}`);
  for (const c of unsimulated) console.log(`  NOT SIMULATED: ${c}`);
  for (const e of run.handlerErrors.slice(0, 3)) console.log(`  handler error: ${e.slice(0, 200)}`);
  const allowed = run.strayAttempts.filter((a) => a.outcome !== 'denied');
  const principals = new Set(run.strayAttempts.map((a) => a.principal)).size;
  const groups = new Set(run.strayAttempts.map((a) => a.group)).size;
  console.log(
    `Non-enrolled groups at runtime: ${run.strayAttempts.length} mutations attempted as ${principals} principals on ${groups} groups, ${run.strayAttempts.length - allowed.length} denied; ${run.straysChanged.length === 0 ? 'all left unchanged' : `CHANGED: ${run.straysChanged.join(', ')}`}.`,
  );
  for (const a of allowed) console.log(`  ALLOWED: ${a.principal} ${a.call} on ${a.group}`);
  problems +=
    run.neededDenies.length +
    run.violations.length +
    run.unlistedCalls.length +
    unsimulated.length +
    run.handlerErrors.length +
    [...run.rollingUpdates, ...run.updatePlans].reduce((n, u) => n + u.refusals.length, 0) +
    run.rollingUpdates.reduce((n, u) => n + u.raised.length, 0) +
    run.updatePlans.reduce((n, p) => n + p.childProblems.length, 0) +
    allowed.length +
    run.straysChanged.length;
}

function runtime(days: number): void {
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
        String(days),
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

function commandLine(): VerifyDeployArgs {
  try {
    return verifyDeployArgs(benchArgs(VERIFY_DEPLOY_HELP, VERIFY_DEPLOY_OPTIONS));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${VERIFY_DEPLOY_HELP}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  const args = commandLine();
  // The matrix's cloud assemblies (one per configuration) go under one temp root, removed after.
  createTestTempRoot();
  try {
    await configurationMatrix(args.matrixHours);
  } finally {
    removeTestTempRoot();
  }
  if (!args.staticOnly) runtime(args.days);
  console.log(`\n${problems === 0 ? 'OK' : `${problems} problem(s)`}: verify:deploy`);
  return problems === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
