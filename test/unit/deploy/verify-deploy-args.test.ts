import { parseArgs } from 'node:util';
import { VERIFY_DEPLOY_HELP, VERIFY_DEPLOY_OPTIONS, verifyDeployArgs } from '../../deploy/verify-deploy-args';

const parse = (...args: string[]) =>
  verifyDeployArgs(
    parseArgs({ args, options: VERIFY_DEPLOY_OPTIONS, strict: true, allowPositionals: false }).values,
  );

describe('verifyDeployArgs', () => {
  it('runs every step, npm start for 7 days and each configuration for an hour by default', () => {
    expect(parse()).toEqual({ staticOnly: false, days: 7, matrixHours: 1 });
  });

  it('reads --static, --days (fractions allowed, as npm start takes them) and --matrix-hours', () => {
    expect(parse('--static', '--days', '0.5', '--matrix-hours', '3')).toEqual({
      staticOnly: true,
      days: 0.5,
      matrixHours: 3,
    });
  });

  it('rejects days npm start would refuse or misread, naming the flag and the value received', () => {
    for (const bad of ['0', '-1', 'two', '', 'Infinity', '0x10', '1e-9', '0.01'])
      expect(() => parse(`--days=${bad}`)).toThrow(
        `--days expects days as a decimal number, at least 60 simulated minutes (0.041667), got ${JSON.stringify(bad)}`,
      );
    for (const bad of ['x', '0x10', '1e1'])
      expect(() => parse('--matrix-hours', bad)).toThrow(
        `--matrix-hours expects a positive decimal number (e.g. 40 or 2.5), got ${JSON.stringify(bad)}`,
      );
  });

  it('refuses an unknown flag and a flag without its value instead of running the default', () => {
    expect(() => parse('--day', '1')).toThrow(/Unknown option '--day'/);
    expect(() => parse('--days')).toThrow(/--days/);
  });

  it('documents every option in its help', () => {
    for (const flag of Object.keys(VERIFY_DEPLOY_OPTIONS)) expect(VERIFY_DEPLOY_HELP).toContain(`--${flag}`);
  });
});
