import { StateMachine } from 'aws-local-stepfunctions';

/** Definitions asl-validator has already accepted in this test file, by their JSON text. */
const validated = new Set<string>();

/**
 * An aws-local-stepfunctions machine for `definition`, validated by asl-validator the first time
 * this definition is seen and trusted after that. The library validates on every construction,
 * and asl-validator builds and compiles its whole JSON schema with a new Ajv each time (~120 ms):
 * a tenth of the deploy matrix's time went to re-validating the same few definitions. A definition
 * that fails validation throws as before, every time, since it never enters the set.
 */
export function localStateMachine(definition: unknown): StateMachine {
  const text = JSON.stringify(definition);
  if (validated.has(text))
    return new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  const machine = new StateMachine(definition as never);
  validated.add(text);
  return machine;
}
