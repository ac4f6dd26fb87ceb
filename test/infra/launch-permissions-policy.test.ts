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
  return { annotations: Annotations.fromStack(stack), actions: statements.flatMap((s) => s.actions) };
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

  it('says a tagged role passes too when the configuration also enrols by tag', () => {
    const { annotations } = launch({
      groups: { names: ['web'], tag: { key: 'team', value: 'web' } },
    });
    annotations.hasWarning('*', Match.stringLikeRegexp('unless the role carries team=web'));
  });

  it('does not warn once the roles are listed, or when groups are enrolled by tag alone', () => {
    for (const input of [
      {
        groups: { names: ['web'] },
        launchPermissions: { launchTemplateIds: ['lt-0a1b2c3d4e5f60718'], instanceRoleNames: ['app/web'] },
      },
      { groups: { tag: { key: 'prescale:enabled', value: 'true' } } },
    ]) {
      const { annotations, actions } = launch(input);
      annotations.hasNoWarning('*', Match.stringLikeRegexp('list no instance roles'));
      expect(actions).toContain('iam:PassRole');
    }
  });
});
