import { DEPLOY_CONFIGURATIONS, synthConfiguration } from './deploy-configurations';

// Limits CloudFormation and Lambda check at create time, not at `cdk synth`. Lambda quotas
// (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits) list environment variables at 4 KB
// per function in aggregate; CloudFormation quotas (cloudformation-limits) list resources per stack
// (500) and outputs per template (200). The exact table rows were not retrieved offline.
const ENV_BYTES = 4096;
/** A resolved intrinsic (an ARN, a name, a URL) is counted at this many bytes. */
const RESOLVED_VALUE_BYTES = 256;

const bytesOf = (v: unknown): number => (typeof v === 'string' ? Buffer.byteLength(v) : RESOLVED_VALUE_BYTES);

describe.each(DEPLOY_CONFIGURATIONS)('the $name configuration as CloudFormation creates it', (c) => {
  const { template } = synthConfiguration(c, { validate: false });
  const resources = Object.entries(template.Resources ?? {}) as [
    string,
    { Type: string; Properties?: { Environment?: { Variables?: Record<string, unknown> } } },
  ][];

  it('stays within 500 resources and 200 outputs', () => {
    expect(resources.length).toBeLessThanOrEqual(500);
    expect(Object.keys((template as { Outputs?: object }).Outputs ?? {}).length).toBeLessThanOrEqual(200);
  });

  it('gives every function at most 4 KB of environment variables', () => {
    const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const vars = fn.Properties?.Environment?.Variables ?? {};
      const size = Object.entries(vars).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + bytesOf(v), 0);
      // The function's id in the failure message says which one is over.
      expect({ id, withinLimit: size <= ENV_BYTES }).toEqual({ id, withinLimit: true });
    }
  });
});
