import { executionAsyncResource } from 'node:async_hooks';
import {
  endHandlerContexts,
  runAsHandler,
  runningHandler,
} from '../../../../shared/simulation/aws-checks/installed-checks';

describe('handler contexts', () => {
  it('names the running handler across awaits, and nothing once ended, until the next run', async () => {
    const seen = await runAsHandler('scale-groups', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return runningHandler();
    });
    expect(seen).toBe('scale-groups');
    endHandlerContexts();
    expect(runningHandler()).toBeUndefined();
    expect(await runAsHandler('select-instance-types', async () => runningHandler())).toBe(
      'select-instance-types',
    );
  });

  it('takes its storage off the async resources made once ended', async () => {
    // Node's AsyncLocalStorage puts each enabled instance's store on every async resource made
    // (one `kResourceStore` symbol per instance); a disabled instance puts none.
    const stores = () =>
      new Promise<number>((resolve) =>
        setImmediate(() =>
          resolve(
            Object.getOwnPropertySymbols(executionAsyncResource()).filter(
              (s) => s.description === 'kResourceStore',
            ).length,
          ),
        ),
      );
    const whileRunning = await runAsHandler('scale-groups', stores);
    endHandlerContexts();
    expect(await stores()).toBe(whileRunning - 1);
  });
});
