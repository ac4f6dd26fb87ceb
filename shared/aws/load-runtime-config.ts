import { ENV } from '../contracts/env';
import { type ConfigProblem, InvalidConfigError, parseConfig } from '../contracts/parse-config';
import { type UserConfig, userConfigSchema } from '../contracts/user-config';

/** What every Prescale Lambda reads from its environment, validated once at cold start. */
export interface RuntimeConfig {
  readonly user: UserConfig;
  readonly stateTableName: string;
  /** The deployment's name (its stack's), which its ownership tags on groups carry. */
  readonly deployment: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads and validates the environment once. `required` names the extra variables this function
 * needs besides the config, the state table and the deployment's name.
 * @throws InvalidConfigError listing every missing or invalid variable at once.
 */
export function loadRuntimeConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  required: readonly string[] = [],
): RuntimeConfig {
  const problems: ConfigProblem[] = [];
  for (const name of [ENV.config, ENV.stateTableName, ENV.deployment, ...required]) {
    if (!env[name])
      problems.push({ path: name, received: 'nothing (missing)', expected: 'a non-empty value' });
  }
  let user: UserConfig | undefined;
  const raw = env[ENV.config];
  if (raw) {
    try {
      user = parseConfig(userConfigSchema, JSON.parse(raw), ENV.config);
    } catch (error) {
      if (error instanceof InvalidConfigError) problems.push(...error.problems);
      else problems.push({ path: ENV.config, received: raw.slice(0, 80), expected: 'JSON' });
    }
  }
  if (problems.length > 0 || user === undefined) throw new InvalidConfigError('Lambda environment', problems);
  return Object.freeze({
    user,
    stateTableName: env[ENV.stateTableName] as string,
    deployment: env[ENV.deployment] as string,
    env: Object.freeze({ ...env }),
  });
}
