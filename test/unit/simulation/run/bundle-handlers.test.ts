import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleFunctions } from '../../../../shared/simulation/run/bundle-handlers';

describe('bundleFunctions', () => {
  it('keeps packages external and drops the side-effect-free ones the handler never uses', async () => {
    const bundles = await bundleFunctions(['dispatch-scaling-run']);
    const code = readFileSync(bundles['dispatch-scaling-run'] as string, 'utf8');
    // The dispatcher makes Auto Scaling and SQS clients; aws-clients.ts imports every client.
    expect(code).toMatch(/require\("[^"]*@aws-sdk\/client-auto-scaling[^"]*"\)/);
    expect(code).toMatch(/require\("[^"]*@aws-sdk\/client-sqs[^"]*"\)/);
    expect(code).not.toMatch(/@aws-sdk\/client-ec2/);
    expect(code).not.toMatch(/@aws-sdk\/client-sfn/);
    // The transport override stays one module shared with the simulation.
    expect(code).toMatch(/require\("[^"]*shared\/aws\/aws-transport\.ts"\)/);
  });

  it('reads Math and Number once per bundle, not in each hot loop', async () => {
    const bundles = await bundleFunctions(['scale-groups']);
    const code = readFileSync(bundles['scale-groups'] as string, 'utf8');
    expect(code.startsWith('const __intrinsic_Math = globalThis.Math;')).toBe(true);
    expect(code).toMatch(/__intrinsic_Number\.isFinite\(/);
    expect(code).toMatch(/__intrinsic_Math\.max\(/);
    // No free lookup of either is left in the worker's code (planning, forecasting, middleware).
    expect(code).not.toMatch(/(?<![\w$.])(Math|Number)\.(max|min|round|isFinite)\(/);
  });

  it('removes its bundle directory when the process exits', () => {
    const script = `require('./shared/simulation/run/bundle-handlers')
      .bundleFunctions(['dispatch-scaling-run'])
      .then((b) => { const fs = require('node:fs'); console.log(fs.existsSync(b['dispatch-scaling-run']), b['dispatch-scaling-run']); });`;
    const printed = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: path.resolve(__dirname, '../../../..'),
      encoding: 'utf8',
    }).trim();
    const [existedWhileRunning, bundle] = printed.split(' ');
    expect(existedWhileRunning).toBe('true');
    expect(existsSync(path.dirname(bundle as string))).toBe(false);
  });
});
