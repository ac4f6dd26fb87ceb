import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UserConfigInput } from '../../contracts/user-config';
import { AwsRequestChecks, installAwsRequestChecks } from './aws-request-checks';
import { DeployedAccount } from './deployed-account';
import { AWS_CHECKS_REPORT_DIR } from './installed-checks';

export { AWS_CHECKS_REPORT_DIR } from './installed-checks';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SYNTH_CLI = path.join(REPO_ROOT, 'test/infra/deploy-matrix/synth-template-cli.ts');

let installed = 0;

/** What one process's checks saw, as written to the report directory. */
export interface ChecksReport {
  readonly command: string;
  readonly configSha: string;
  readonly decisions: readonly {
    principal: string;
    action: string;
    resourceArn: string;
    allowed: boolean;
    notEnrolled: boolean;
    count: number;
    reason?: string;
  }[];
  readonly violations: readonly { principal: string; call: string; messages: readonly string[] }[];
  readonly unlistedCalls: readonly string[];
}

/**
 * When `PRESCALE_AWS_CHECKS_REPORT_DIR` is set (`npm run verify:deploy` sets it for `npm start`,
 * the scenarios and `bench:faults`), synthesizes the template `config` deploys (a child process
 * runs the CDK app; the simulation itself never imports infra/), installs the checks, and writes
 * their ledger to the directory when the process exits. Otherwise does nothing.
 */
export function installChecksFromEnvironment(config: UserConfigInput, region: string): void {
  const dir = process.env[AWS_CHECKS_REPORT_DIR];
  if (!dir) return;
  const configJson = JSON.stringify(config);
  const template = JSON.parse(
    execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [SYNTH_CLI], {
      input: configJson,
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    }),
  );
  const checks = new AwsRequestChecks(new DeployedAccount(template, { region }), config);
  installAwsRequestChecks(checks);
  installed += 1;
  const run = installed;
  const configSha = createHash('sha256').update(configJson).digest('hex').slice(0, 12);
  process.on('exit', () => {
    const report: ChecksReport = {
      command: process.argv
        .slice(1)
        .map((a) => path.relative(REPO_ROOT, a) || a)
        .join(' '),
      configSha,
      decisions: [...checks.ledger.decisions.values()],
      violations: checks.ledger.violations,
      unlistedCalls: checks.unlistedCalls(),
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `checks-${process.pid}-${run}-${configSha}.json`),
      JSON.stringify(report, null, 1),
    );
  });
}
