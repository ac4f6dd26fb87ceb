import type { Template } from 'aws-cdk-lib/assertions';
import { buildTestApp, TEST_CONFIG } from './build-test-app';

/** The templates this test file has synthesized, by the JSON of the configuration and options. */
const templates = new Map<string, Template>();

/**
 * `buildTestApp(config, options).template()`, synthesized once per test file for each distinct
 * configuration and options (each module registry, so each file, has its own map). A synth takes
 * about a second and gives the same template for the same input (prescale-stack.test.ts checks it
 * byte for byte), so tests that only read a template share it. A test that changes the app, the
 * stack or the template's JSON calls `buildTestApp` itself.
 */
export function sharedTemplate(
  config: unknown = TEST_CONFIG,
  options: { envAgnostic?: boolean; stackName?: string } = {},
): Template {
  const key = JSON.stringify([config, options]);
  const known = templates.get(key);
  if (known) return known;
  const template = buildTestApp(config, options).template();
  templates.set(key, template);
  return template;
}
