import { App } from 'aws-cdk-lib';
import { DEFAULT_STACK_NAME, readStackName } from '../../../infra/config/read-stack-name';
import { testOutdir } from '../../helpers/test-temp-root';

describe('readStackName', () => {
  const appWith = (context: Record<string, unknown>) => new App({ outdir: testOutdir(), context });

  it('deploys the stack Prescale without -c stackName', () => {
    expect(readStackName(appWith({}))).toBe(DEFAULT_STACK_NAME);
    expect(DEFAULT_STACK_NAME).toBe('Prescale');
  });

  it('takes -c stackName=… as the stack name', () => {
    expect(readStackName(appWith({ stackName: 'prescale-staging' }))).toBe('prescale-staging');
    expect(readStackName(appWith({ stackName: `P${'x'.repeat(127)}` }))).toHaveLength(128);
  });

  it.each([
    ['', 'empty'],
    ['1prescale', 'starting with a digit'],
    ['prescale_staging', 'with an underscore'],
    ['prescale staging', 'with a space'],
    [`P${'x'.repeat(128)}`, 'of 129 characters'],
  ])('refuses %j (%s), naming the value and the rule', (name) => {
    expect(() => readStackName(appWith({ stackName: name }))).toThrow(
      `Invalid -c stackName=${JSON.stringify(name)}: a CloudFormation stack name starts with a letter and has only letters, digits and hyphens, at most 128 characters`,
    );
  });
});
