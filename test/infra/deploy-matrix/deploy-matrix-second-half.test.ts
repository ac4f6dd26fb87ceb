import { DEPLOY_MATRIX_HALVES } from './deploy-configurations';
import { describeDeployments } from './describe-deployments';

// The deploy matrix's other half (see DEPLOY_MATRIX_HALVES): a file of its own, for the other worker.
describeDeployments(DEPLOY_MATRIX_HALVES[1] ?? []);
