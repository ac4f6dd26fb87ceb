import { App } from 'aws-cdk-lib';
import { byNameGroupsProblem } from '../../infra/constructs/enrolled-groups-policy';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { testOutdir } from '../helpers/test-temp-root';
import { iamPolicyQuotaViolations } from './deploy-matrix/iam-policy-quotas';

/** The shortest names there are: `0`…`z`, then `10`…: the most ARNs a list of names can hold. */
const shortestNames = (count: number) => Array.from({ length: count }, (_, i) => i.toString(36));

function synth(names: readonly string[]) {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PrescaleStack(app, 'Prescale', {
    config: { groups: { names: [...names] }, mode: 'forecast-and-scale' },
    configSource: 'test config',
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
}

describe('enrolledGroupsStatements, groups enrolled by name', () => {
  it("fills each managed policy with names: 270 of 1–2 characters fit every role's 10", () => {
    expect(byNameGroupsProblem(shortestNames(270))).toBeUndefined();
    expect(iamPolicyQuotaViolations(synth(shortestNames(260)))).toEqual([]);
  });

  it('fails synth at groups.names when the names would need more managed policies than IAM attaches to a role', () => {
    expect(() => synth(shortestNames(300))).toThrow(
      /groups\.names lists 300 groups, whose ARNs take 6 IAM policy statements of \d+ characters per grant, more than the 5 that fit the 10 managed policies IAM attaches to a role by default/,
    );
  });
});
