import { CfnResource, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SIDE_SERVICE_CONFIG } from '../../../shared/simulation/scenarios/side-service-scenarios';
import {
  appAsCdkSynth,
  ROLLING_UPDATE_CONFIGURATION,
  synthConfiguration,
  synthValidated,
} from './deploy-configurations';

// The deploy matrix synthesizes every configuration through `synthValidated`: these show that a
// template CloudFormation would reject fails there, as it fails `cdk synth` with cdk.json's flags.
describe('synthesis as cdk synth does it', () => {
  it('fails on a property the resource type does not have, naming it', () => {
    const app = appAsCdkSynth();
    const queue = new sqs.Queue(new Stack(app, 'Bad'), 'Queue');
    (queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('VisibilityTimeoutSecs', 30);
    expect(() => synthValidated(app)).toThrow(
      /ERROR VisibilityTimeoutSecs: Additional properties are not allowed[\s\S]*Bad\/Queue\/Resource/,
    );
  });

  it('fails on a required property missing, even where the test setup turned validation off', () => {
    expect(process.env.CDK_VALIDATION).toBe('false');
    const app = appAsCdkSynth();
    new CfnResource(new Stack(app, 'Missing'), 'Fn', {
      type: 'AWS::Lambda::Function',
      properties: { Runtime: 'nodejs22.x', Handler: 'index.handler' },
    });
    expect(() => synthValidated(app)).toThrow(/ERROR Properties: 'Code' is a required property/);
    expect(process.env.CDK_VALIDATION).toBe('false');
  });

  it('passes a valid template', () => {
    const app = appAsCdkSynth();
    new sqs.Queue(new Stack(app, 'Good'), 'Queue', { enforceSSL: true });
    expect(synthValidated(app).getStackByName('Good').template).toHaveProperty('Resources');
  });
});

// The as-deployed runs synthesize these without validation (the engine's start is ~3 s per file).
describe.each([ROLLING_UPDATE_CONFIGURATION, { name: 'side services', config: SIDE_SERVICE_CONFIG }])(
  'the $name configuration the as-deployed runs use',
  (configuration) => {
    it('synthesizes with CloudFormation validation and cdk-nag', () => {
      expect(synthConfiguration(configuration).template.Resources).toBeDefined();
    });
  },
);
