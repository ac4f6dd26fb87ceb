/**
 * Prints the CloudFormation template Prescale deploys for the configuration JSON read from stdin
 * (cdk-nag attached, bundling skipped). Used by the simulation's deployed-IAM checks when
 * `PRESCALE_AWS_CHECKS_REPORT_DIR` is set (`npm run verify:deploy`).
 */
import { readFileSync } from 'node:fs';
import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { createTestTempRoot, removeTestTempRoot } from '../../helpers/test-temp-root';
import { synthConfiguration } from './deploy-configurations';

// Its own temp root for the cloud assembly (whatever root the caller had may be gone), removed on exit.
createTestTempRoot();
process.on('exit', removeTestTempRoot);
const config = JSON.parse(readFileSync(0, 'utf8')) as UserConfigInput;
process.stdout.write(JSON.stringify(synthConfiguration({ name: 'simulation', config }).template));
