import { WAIT_RUN_AS_TASK } from '../../helpers/local-state-machine';
import { waitEndsAt } from '../../helpers/wait-state-end';

type Json = Record<string, unknown>;

interface State {
  Type?: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Branches?: { States: Record<string, State> }[];
  ItemProcessor?: { States: Record<string, State> };
  Iterator?: { States: Record<string, State> };
}

/** Where an execution's Wait states move the simulated world's clock, and what they waited. */
export interface WorldClock {
  readonly nowMs: () => number;
  /** Moves the world to `ms` (minute by minute, as its load and loop go on). */
  readonly advanceTo: (ms: number) => Promise<void>;
}

/**
 * The definition with every Wait state (nested ones too) run on the simulated world's clock: each
 * becomes a Task, of the same name and transitions, whose local handler moves `clock` as far as the
 * Wait would have waited (Seconds, SecondsPath, Timestamp, TimestampPath) and passes its input on
 * unchanged (`ResultPath: null`), so an execution's waits take the world's time, not the machine's;
 * its Comment (`WAIT_RUN_AS_TASK`) has localStateMachine count its history as a Wait's.
 * Returns the rewritten definition, the handlers to add to the run's Task handlers, and a log of
 * each wait as `state: seconds`.
 */
export function waitsOnWorldClock(
  definition: Json,
  clock: WorldClock,
): { definition: Json; handlers: Record<string, (input: unknown) => Promise<unknown>>; waited: string[] } {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const waited: string[] = [];
  const rewrite = (states: Record<string, State>): Record<string, State> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        const nested = {
          ...(state.Branches
            ? { Branches: state.Branches.map((b) => ({ ...b, States: rewrite(b.States) })) }
            : {}),
          ...(state.ItemProcessor
            ? { ItemProcessor: { ...state.ItemProcessor, States: rewrite(state.ItemProcessor.States) } }
            : {}),
          ...(state.Iterator
            ? { Iterator: { ...state.Iterator, States: rewrite(state.Iterator.States) } }
            : {}),
        };
        if (state.Type !== 'Wait') return [name, { ...state, ...nested }];
        handlers[name] = async (input: unknown) => {
          const from = clock.nowMs();
          const to = waitEndsAt(state, input, from);
          waited.push(`${name}: ${(to - from) / 1000} s`);
          await clock.advanceTo(to);
          return {};
        };
        const { Seconds, SecondsPath, Timestamp, TimestampPath, Type, ...kept } = state;
        return [
          name,
          {
            ...kept,
            Comment: WAIT_RUN_AS_TASK,
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:sfn:describeStateMachine',
            ResultPath: null,
          },
        ];
      }),
    );
  return {
    definition: { ...definition, States: rewrite(definition.States as Record<string, State>) },
    handlers,
    waited,
  };
}
