import { localStateMachine } from './local-state-machine';

const PASS = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };

describe('localStateMachine', () => {
  it('runs a definition it has already validated, as the first time', async () => {
    await expect(localStateMachine(PASS).run({ a: 1 } as never).result).resolves.toEqual({ a: 1 });
    await expect(localStateMachine(PASS).run({ a: 2 } as never).result).resolves.toEqual({ a: 2 });
  });

  it('refuses an invalid definition every time it is given', () => {
    const broken = { StartAt: 'Nowhere', States: { Echo: { Type: 'Pass', End: true } } };
    expect(() => localStateMachine(broken)).toThrow(/Nowhere|StartAt|invalid/i);
    expect(() => localStateMachine(broken)).toThrow(/Nowhere|StartAt|invalid/i);
  });
});
