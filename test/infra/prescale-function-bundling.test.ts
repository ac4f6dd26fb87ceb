import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { PrescaleFunction } from '../../infra/constructs/prescale-function';
import { testOutdir } from '../helpers/test-temp-root';

/** Synthesizes two PrescaleFunctions with bundling on (the only infra test that bundles for real). */
function synthTwoFunctions() {
  const outdir = testOutdir('prescale-bundling-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundling');
  const entries = {
    DecideRollbackStep: 'functions/decide-rollback-step/handler.ts',
    RequestRollingUpdate: 'functions/request-rolling-update/handler.ts',
  };
  for (const [id, entry] of Object.entries(entries))
    new PrescaleFunction(stack, id, { entry, description: `${id} bundling check` });
  const template = app.synth().getStackByName('Bundling').template as {
    Resources: Record<string, { Type: string; Properties: { Handler?: string; Code?: { S3Key?: string } } }>;
  };
  const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  return { outdir, functions };
}

describe('PrescaleFunction bundling', () => {
  it('bundles each handler into its own asset, loaded as index.handler', () => {
    const { outdir, functions } = synthTwoFunctions();
    expect(functions).toHaveLength(2);
    const keys = functions.map(([, f]) => f.Properties.Code?.S3Key ?? '');
    expect(new Set(keys).size).toBe(2);
    for (const [, f] of functions) {
      expect(f.Properties.Handler).toBe('index.handler');
      const bundle = path.join(
        outdir,
        `asset.${f.Properties.Code?.S3Key?.replace(/\.zip$/, '')}`,
        'index.js',
      );
      expect(existsSync(bundle)).toBe(true);
      expect(readFileSync(bundle, 'utf8')).toMatch(/handler/);
    }
  });
});
