import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testOutdir } from '../helpers/test-temp-root';

const ROOT = path.resolve(__dirname, '../..');
const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

/**
 * Runs `infra/app.ts` as `cdk synth` runs it (the context in CDK_CONTEXT_JSON, the assembly to
 * CDK_OUTDIR), bundling skipped; returns the stacks its manifest lists, by construct id.
 */
function synthApp(context: Record<string, unknown>): Record<string, { stackName: string }> {
  const outdir = testOutdir();
  execFileSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: ROOT,
    stdio: 'pipe',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context }),
    },
  });
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; displayName?: string; properties?: { stackName?: string } }>;
  };
  return Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      // The manifest leaves out a stack name that is the artifact's id.
      .map(([id, a]) => [a.displayName, { stackName: a.properties?.stackName ?? id }]),
  );
}

describe('the CDK app (infra/app.ts)', () => {
  it('deploys the stack Prescale by default', () => {
    expect(synthApp({})).toEqual({ Prescale: { stackName: 'Prescale' } });
  });

  it('deploys -c stackName=… under that name, the construct path unchanged', () => {
    expect(synthApp({ stackName: 'prescale-staging' })).toEqual({
      Prescale: { stackName: 'prescale-staging' },
    });
  });

  it('fails synth on a name CloudFormation refuses, saying why', () => {
    expect(() => synthApp({ stackName: 'prescale_staging' })).toThrow(
      /Invalid -c stackName="prescale_staging": a CloudFormation stack name starts with a letter/,
    );
  });
});
