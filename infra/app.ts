import { App } from 'aws-cdk-lib';
import { addPrescaleChecks } from './checks';
import { readStackName } from './config/read-stack-name';
import { readUserConfig } from './config/read-user-config';
import { PrescaleStack } from './stacks/prescale-stack';

const app = new App();
const { config, source } = readUserConfig(app);
// The construct id stays 'Prescale' whatever the name, so logical ids (and resources) do not change.
new PrescaleStack(app, 'Prescale', {
  stackName: readStackName(app),
  config: config as never,
  configSource: source,
  description: 'Prescale: predictive autoscaling for EC2 Auto Scaling groups',
});
addPrescaleChecks(app);
