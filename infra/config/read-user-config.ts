import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';

/** The raw configuration and where it came from. */
export interface RawUserConfig {
  readonly config: unknown;
  readonly source: string;
}

/**
 * Reads the user configuration from `-c configFile=path.json` if given, else from the `prescale`
 * context key: cdk.json's object, or `-c prescale='{...}'` on the command line, which the CDK CLI
 * hands over as a string (it passes every command-line context value as one) and which wins over
 * cdk.json's. Validation happens in the construct, so every path fails the same way.
 * @throws Error when the file cannot be read or is not JSON, when a command-line value is not
 * JSON, or when none is present.
 */
export function readUserConfig(app: App, cwd = process.cwd()): RawUserConfig {
  const file = app.node.tryGetContext('configFile') as string | undefined;
  if (file) {
    const full = path.resolve(cwd, file);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (error) {
      throw new Error(`configFile ${full} could not be read: ${(error as Error).message}`);
    }
    try {
      return { config: JSON.parse(text), source: `configFile ${file}` };
    } catch (error) {
      throw new Error(`configFile ${full} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const context = app.node.tryGetContext('prescale');
  if (context === undefined) {
    throw new Error(
      'No Prescale configuration: add a "prescale" key to the context in cdk.json or pass -c configFile=path.json',
    );
  }
  if (typeof context === 'string') return { config: parsedCommandLineConfig(context), source: COMMAND_LINE };
  return { config: context, source: 'cdk.json context "prescale"' };
}

const COMMAND_LINE = 'context "prescale" given with -c';

function parsedCommandLineConfig(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${COMMAND_LINE} is not valid JSON (${(error as Error).message}): pass the configuration object as JSON, -c prescale='{"groups":…}', or a file, -c configFile=path.json`,
    );
  }
}
