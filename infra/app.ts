import { App } from 'aws-cdk-lib';
import { addPrescaleChecks } from './checks';
import { readUserConfig } from './config/read-user-config';
import { PrescaleStack } from './stacks/prescale-stack';

const app = new App();
const { config, source } = readUserConfig(app);
new PrescaleStack(app, 'Prescale', {
  config: config as never,
  configSource: source,
  description: 'Prescale: predictive autoscaling for EC2 Auto Scaling groups',
});
addPrescaleChecks(app);
