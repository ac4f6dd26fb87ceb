import { DEPLOY_CONFIGURATIONS, DEPLOY_MATRIX_HALVES } from './deploy-configurations';
import { describeDeployments } from './describe-deployments';

// The deploy matrix's first half (see DEPLOY_MATRIX_HALVES), and that the halves hold every configuration.
describeDeployments(DEPLOY_MATRIX_HALVES[0] ?? []);

describe('the deploy matrix', () => {
  it('checks every configuration in one of its two files, once', () => {
    const halves = DEPLOY_MATRIX_HALVES.flat().map((c) => c.name);
    expect(halves.toSorted()).toEqual(DEPLOY_CONFIGURATIONS.map((c) => c.name).toSorted());
    expect(DEPLOY_MATRIX_HALVES.map((half) => half.length)).toEqual([4, 4]);
  });
});
