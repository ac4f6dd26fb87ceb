import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addPrescaleChecks } from '../../infra/checks';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import { keptForTheRun } from './run-synth-cache';
import { testOutdir } from './test-temp-root';

/** The stack `buildTestApp` builds unless told otherwise: its functions' PRESCALE_DEPLOYMENT. */
export const TEST_STACK_NAME = 'Prescale';

/** A minimal valid configuration for infra tests. */
export const TEST_CONFIG: UserConfigInput = {
  groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } },
  mode: 'forecast-and-scale',
};

/**
 * Builds the Prescale app as `cdk synth` does, but with bundling skipped (no esbuild per test),
 * cdk-nag attached, and returns the stack's template.
 */
export function buildTestApp(
  config: unknown = TEST_CONFIG,
  options: { envAgnostic?: boolean; stackName?: string } = {},
) {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PrescaleStack(app, options.stackName ?? TEST_STACK_NAME, {
    config: config as UserConfigInput,
    configSource: 'test config',
    ...(options.envAgnostic ? {} : { env: { account: '123456789012', region: 'eu-west-1' } }),
  });
  addPrescaleChecks(app);
  return { app, stack, template: () => Template.fromStack(stack) };
}

/**
 * `buildTestApp(config, options).template()`, synthesized once a Jest run for every file that
 * asks for the same configuration (`keptForTheRun`): for tests that read only the template.
 */
export function synthesizedTemplate(
  config: unknown = TEST_CONFIG,
  options: { envAgnostic?: boolean; stackName?: string } = {},
): Template {
  return Template.fromJSON(
    keptForTheRun({ buildTestApp: config, options }, () => buildTestApp(config, options).template().toJSON()),
  );
}
