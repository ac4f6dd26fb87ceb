import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import {
  checkDeployment,
  type DeploymentCheck,
  holds,
} from '../../../shared/simulation/aws-checks/deployment-checks';
import {
  DEPLOY_CONFIGURATIONS,
  DEPLOY_REGION,
  type SynthesizedConfiguration,
  synthConfiguration,
} from './deploy-configurations';

/** One line per distinct failing check, so a failure names principal, action, resource and why. */
function failures(checks: readonly DeploymentCheck[], kind: DeploymentCheck['kind']): string[] {
  const lines = checks
    .filter((c) => c.kind === kind && !holds(c))
    .map(
      (c) =>
        `${c.principal} ${c.action} on ${c.resourceArn}: ${c.actual}, expected ${c.expected} (${c.note})`,
    );
  return [...new Set(lines)];
}

describe.each(DEPLOY_CONFIGURATIONS.map((c) => [c.name, c] as const))(
  'deployment (%s)',
  (_name, configuration) => {
    let synthesized: SynthesizedConfiguration | undefined;
    let synthError: Error | undefined;
    let checks: DeploymentCheck[] = [];

    beforeAll(async () => {
      try {
        synthesized = synthConfiguration(configuration);
      } catch (error) {
        synthError = error as Error;
        return;
      }
      checks = await checkDeployment(
        new DeployedAccount(synthesized.template, { region: DEPLOY_REGION }),
        synthesized.enrolment,
      );
    });

    it('synthesizes with every cdk-nag finding fixed or acknowledged', () => {
      expect(synthError?.message).toBeUndefined();
    });

    it('allows every call each handler and the state machine need, on enrolled groups', () => {
      expect(synthesized).toBeDefined();
      expect(checks.some((c) => c.kind === 'needed call')).toBe(true);
      expect(failures(checks, 'needed call')).toEqual([]);
    });

    it('denies every group mutation, launch and role pass by every principal on groups it does not enroll', () => {
      expect(synthesized).toBeDefined();
      expect(checks.some((c) => c.kind === 'non-enrolled mutation')).toBe(true);
      expect(failures(checks, 'non-enrolled mutation')).toEqual([]);
    });

    it('lets each service deliver from its own alarm, rule, schedule or queue', () => {
      expect(synthesized).toBeDefined();
      expect(failures(checks, 'service delivery')).toEqual([]);
    });

    it("refuses the same deliveries sent on another account's behalf", () => {
      expect(synthesized).toBeDefined();
      expect(failures(checks, 'confused deputy')).toEqual([]);
    });
  },
);
