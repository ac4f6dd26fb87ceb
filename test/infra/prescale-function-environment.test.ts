import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { configEnvironment } from '../../infra/constructs/config-environment';
import { LAMBDA_ENVIRONMENT_MAX_BYTES, PrescaleFunction } from '../../infra/constructs/prescale-function';
import { MAX_CONFIG_BYTES } from '../../infra/constructs/scaling-loop';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';

const newApp = () => new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });

/** A function whose environment is `literal` bytes of text, and the name of a table when asked. */
function synthFunction(literalBytes: number, withTableName: boolean): () => unknown {
  const app = newApp();
  const stack = new Stack(app, 'UserApp');
  const table = new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  new PrescaleFunction(stack, 'Fn', {
    entry: 'functions/scale-groups/handler.ts',
    description: 'environment size check',
    environment: { TEXT: 'x'.repeat(literalBytes), ...(withTableName ? { TABLE: table.tableName } : {}) },
  });
  return () => app.synth();
}

describe('PrescaleFunction environment size', () => {
  it("counts a name CloudFormation fills in at its longest, not at its placeholder's length", () => {
    // 3,750 bytes of text and the Powertools variables fit; a table name (up to 255) does not.
    expect(synthFunction(3750, false)).not.toThrow();
    expect(synthFunction(3750, true)).toThrow(
      new RegExp(
        `\\[UserApp/Fn\\] its environment variables take up to \\d+ bytes once deployed, over Lambda's 4 KB \\(${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes, keys and values together\\).*the largest: TEXT 3754, TABLE 260, `,
      ),
    );
  });

  it('fails synth naming the function a long stack name pushes over, though the configuration fits its 3,000 bytes', () => {
    const defaults = (
      JSON.parse(readFileSync(path.resolve(__dirname, '../../cdk.json'), 'utf8')) as {
        context: { prescale: UserConfigInput };
      }
    ).context.prescale;
    // As many names of 20 characters as the configuration's 3,000 bytes hold, as the functions receive it.
    const configWith = (names: string[]) => ({ ...defaults, groups: { names } });
    const bytes = (names: string[]) =>
      Buffer.byteLength(configEnvironment(userConfigSchema.parse(configWith(names))));
    const names: string[] = [];
    const next = () => `group-${String(names.length).padStart(14, '0')}`;
    while (bytes([...names, next()]) <= MAX_CONFIG_BYTES) names.push(next());
    expect(bytes(names)).toBeGreaterThan(MAX_CONFIG_BYTES - 24);
    const config = configWith(names);
    const synth = (stackName: string) => () => {
      const app = newApp();
      new PrescaleStack(app, 'Prescale', { stackName, config, configSource: 'test config' });
      app.synth();
    };
    expect(synth('Prescale')).not.toThrow();
    expect(synth(`prescale-${'x'.repeat(60)}`)).toThrow(
      /\[Prescale\/Prescale\/Campaigns\/Receiver\] its environment variables take up to \d+ bytes once deployed/,
    );
  });
});
