import { App, Stack } from 'aws-cdk-lib';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';

const appWithoutBundling = () =>
  new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });

describe('PredictiveScaler, one per stack', () => {
  it('refuses a second scaler in a stack, naming both paths and what to do', () => {
    const stack = new Stack(appWithoutBundling(), 'UserApp');
    new PredictiveScaler(stack, 'Staging', { config: { groups: { names: ['web'] } } });
    expect(() => new PredictiveScaler(stack, 'Prod', { config: { groups: { names: ['api'] } } })).toThrow(
      /PredictiveScaler UserApp\/Prod: stack UserApp already holds a PredictiveScaler \(UserApp\/Staging\).*Put each PredictiveScaler in a stack of its own/,
    );
  });

  it('takes one scaler in each of two stacks, each its own deployment', () => {
    const app = appWithoutBundling();
    new PredictiveScaler(new Stack(app, 'Staging'), 'Scaler', { config: { groups: { names: ['web'] } } });
    expect(
      () =>
        new PredictiveScaler(new Stack(app, 'Prod'), 'Scaler', { config: { groups: { names: ['api'] } } }),
    ).not.toThrow();
  });

  it("names the scaler's construct path in its config's error, so the stack at fault is known", () => {
    const app = appWithoutBundling();
    new PredictiveScaler(new Stack(app, 'Staging'), 'Scaler', { config: { groups: { names: ['web'] } } });
    const config = { groups: { names: ['web'] }, mode: 'forecast-onlyy' } as unknown as UserConfigInput;
    expect(() => new PredictiveScaler(new Stack(app, 'Prod'), 'Scaler', { config })).toThrow(
      /^Invalid PredictiveScaler Prod\/Scaler config: 1 problem\(s\)\n {2}- mode:/,
    );
  });
});
