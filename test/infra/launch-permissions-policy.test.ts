import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { launchStatements } from '../../infra/constructs/launch-permissions-policy';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';

/** The warnings `launchStatements` leaves on a stack for `input`, and the actions it grants. */
function launch(input: Pick<UserConfigInput, 'groups' | 'launchPermissions'>) {
  const app = new App({ outdir: testOutdir() });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const statements = launchStatements(stack, userConfigSchema.parse(input));
  return {
    annotations: Annotations.fromStack(stack),
    statements,
    actions: statements.flatMap((s) => s.actions),
  };
}

describe('launchStatements', () => {
  it('warns that no template can be used when groups are enrolled by name with no template listed', () => {
    const { annotations, actions } = launch({ groups: { names: ['web'] } });
    annotations.hasWarning('*', Match.stringLikeRegexp('No launch template can be used'));
    expect(actions).toEqual([]);
  });

  it('warns that named groups list no instance roles, naming the groups and the setting', () => {
    const { annotations, actions } = launch({
      groups: { names: ['web', 'api'] },
      launchPermissions: { launchTemplateIds: ['lt-0a1b2c3d4e5f60718'] },
    });
    annotations.hasWarning(
      '*',
      Match.stringLikeRegexp(
        'Groups enrolled by name \\(web, api\\) list no instance roles.*launchPermissions.instanceRoleNames',
      ),
    );
    expect(actions).toEqual(expect.arrayContaining(['ec2:RunInstances', 'ec2:CreateTags']));
    expect(actions).not.toContain('iam:PassRole');
  });

  it('warns in tag mode too when neither role names nor a role path prefix are given', () => {
    const { annotations, statements } = launch({ groups: { tag: { key: 'team', value: 'web' } } });
    annotations.hasWarning(
      '*',
      Match.stringLikeRegexp(
        'Groups enrolled by tag \\(team=web\\) list no instance roles.*launchPermissions.instanceRolePathPrefix',
      ),
    );
    expect(statements.flatMap((s) => s.actions)).not.toContain('iam:PassRole');
  });

  it('does not warn once the roles are listed or put under a path prefix', () => {
    for (const input of [
      {
        groups: { names: ['web'] },
        launchPermissions: { launchTemplateIds: ['lt-0a1b2c3d4e5f60718'], instanceRoleNames: ['app/web'] },
      },
      {
        groups: { tag: { key: 'prescale:enabled', value: 'true' } },
        launchPermissions: { instanceRolePathPrefix: 'prescale-instances' },
      },
    ]) {
      const { annotations, actions } = launch(input);
      annotations.hasNoWarning('*', Match.stringLikeRegexp('list no instance roles'));
      expect(actions).toContain('iam:PassRole');
    }
  });

  it('grants PassRole by ARN only, never on a role tag IAM does not authorize it by', () => {
    const { statements } = launch({
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      launchPermissions: { instanceRoleNames: ['app/web'], instanceRolePathPrefix: 'prescale-instances' },
    });
    const passes = statements.filter((s) => s.actions.includes('iam:PassRole')).map((s) => s.toJSON());
    expect(JSON.stringify(passes)).not.toContain('ResourceTag');
    expect(JSON.stringify(passes)).toContain(':role/app/web"');
    expect(JSON.stringify(passes)).toContain(':role/prescale-instances/*"');
  });
});
