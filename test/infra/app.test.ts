import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testOutdir } from '../helpers/test-temp-root';

const ROOT = path.resolve(__dirname, '../..');
const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

type StackArtifact = {
  type: string;
  displayName?: string;
  properties?: { stackName?: string };
  additionalMetadataFile?: string;
};
type MetadataEntry = { type: string; data?: unknown };

interface SynthesizedApp {
  /** The stacks the manifest lists, by construct id. */
  stacks: Record<string, { stackName: string }>;
  /** The ids (`[ack: …]`) of every warning synth left on the stacks, sorted. */
  warningIds: string[];
}

/** The ids of the warnings (`addWarningV2`) a stack's metadata holds: what `cdk synth --strict` fails on. */
function warningIds(outdir: string, artifact: StackArtifact): string[] {
  if (!artifact.additionalMetadataFile) return [];
  const metadata = JSON.parse(
    readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8'),
  ) as Record<string, MetadataEntry[]>;
  return Object.values(metadata)
    .flat()
    .filter((entry) => entry.type === 'aws:cdk:warning')
    .map((entry) => /\[ack: ([^\]]+)\]$/.exec(String(entry.data))?.[1] ?? `no id: ${String(entry.data)}`);
}

/**
 * Runs `infra/app.ts` as `cdk synth` runs it (the context in CDK_CONTEXT_JSON, the assembly to
 * CDK_OUTDIR), bundling skipped; returns the stacks its manifest lists and the warnings left on them.
 */
function synthApp(context: Record<string, unknown>): SynthesizedApp {
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
    artifacts: Record<string, StackArtifact>;
  };
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  return {
    stacks: Object.fromEntries(
      // The manifest leaves out a stack name that is the artifact's id.
      stacks.map(([id, a]) => [a.displayName, { stackName: a.properties?.stackName ?? id }]),
    ),
    warningIds: stacks.flatMap(([, a]) => warningIds(outdir, a)).sort(),
  };
}

/** The default cdk.json's app, synthesized once for the tests that read it. */
let defaultApp: SynthesizedApp | undefined;
function synthDefaultApp(): SynthesizedApp {
  defaultApp ??= synthApp({});
  return defaultApp;
}

describe('the CDK app (infra/app.ts)', () => {
  it('deploys the stack Prescale by default', () => {
    expect(synthDefaultApp().stacks).toEqual({ Prescale: { stackName: 'Prescale' } });
  });

  it('warns, with the default cdk.json, of exactly what its user must still set (README, Deploy step 3), so `cdk synth --strict` fails until then', () => {
    // A new warning on the default configuration must be documented beside these two, not appear unnoticed.
    expect(synthDefaultApp().warningIds).toEqual([
      // neither launchPermissions.instanceRoleNames nor instanceRolePathPrefix (IAM passes no role by its tags)
      'prescale:launch-permissions:no-instance-roles',
      // no notifications.email
      'prescale:notifications:no-subscriber',
    ]);
  });

  it('deploys -c stackName=… under that name, the construct path unchanged', () => {
    expect(synthApp({ stackName: 'prescale-staging' }).stacks).toEqual({
      Prescale: { stackName: 'prescale-staging' },
    });
  });

  it('checks cdk.json event senders as literal ARNs: a token marker typed there is no token', () => {
    const prescale = cdkJson.context.prescale as Record<string, unknown>;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CDK token marker as JSON text holds it.
    const senders = ['${Token[TOKEN.987654]}', 'ci-role'];
    expect(() => synthApp({ prescale: { ...prescale, eventSenders: senders } })).toThrow(
      /eventSenders\.0: expected an IAM role[^\n]*\n[^\n]*eventSenders\.1: expected an IAM role/,
    );
  });

  it('fails synth on a name CloudFormation refuses, saying why', () => {
    expect(() => synthApp({ stackName: 'prescale_staging' })).toThrow(
      /Invalid -c stackName="prescale_staging": a CloudFormation stack name starts with a letter/,
    );
  });
});
