import { StateMachine } from 'aws-local-stepfunctions';
import { waitsOnWorldClock } from './waits-on-world-clock';

const T0 = Date.parse('2026-03-02T01:00:00Z');

describe('waitsOnWorldClock', () => {
  const definition = {
    StartAt: 'Wait a minute',
    States: {
      'Wait a minute': { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Both' },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Wait inside', States: { 'Wait inside': { Type: 'Wait', Seconds: 30, End: true } } },
        ],
        ResultPath: null,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };

  it("moves the world's clock as far as each Wait, nested ones too, and passes the input on", async () => {
    let now = T0;
    const moves: number[] = [];
    const clock = {
      nowMs: () => now,
      advanceTo: async (ms: number) => {
        moves.push(ms);
        now = ms;
      },
    };
    const waits = waitsOnWorldClock(definition, clock);
    const output = await new StateMachine(waits.definition as never).run(
      { seconds: 120, keep: 'me' } as never,
      {
        overrides: { taskResourceLocalHandlers: waits.handlers as never },
      },
    ).result;
    expect(output).toEqual({ seconds: 120, keep: 'me' });
    expect(moves).toEqual([T0 + 120_000, T0 + 150_000]);
    expect(waits.waited).toEqual(['Wait a minute: 120 s', 'Wait inside: 30 s']);
  });

  it('leaves every other state as written', () => {
    const { definition: rewritten } = waitsOnWorldClock(definition, {
      nowMs: () => T0,
      advanceTo: async () => {},
    });
    const states = rewritten.States as Record<string, Record<string, unknown>>;
    expect(states.Done).toEqual(definition.States.Done);
    expect(states['Wait a minute']).toMatchObject({ Type: 'Task', Next: 'Both', ResultPath: null });
    expect(states['Wait a minute']).not.toHaveProperty('SecondsPath');
  });
});
