import { isDeepStrictEqual } from 'node:util';
import { Token } from 'aws-cdk-lib';
import { ENV } from '../../shared/contracts/env';
import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfig, userConfigSchema } from '../../shared/contracts/user-config';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The configuration as every Prescale function receives it in `PRESCALE_CONFIG`: the validated
 * config without what only synth reads (`notifications`, `eventSenders`) and without the values
 * equal to their defaults, which each function's cold start
 * (`loadRuntimeConfig`) parses with the same schema and so fills in again. With every default
 * written out the defaults alone took 1,765 of the 3,000 bytes the variable may hold. Checked
 * here: when the compact form would not read back as the whole config does (a schema whose
 * default depends on another field), the functions receive the config whole.
 * @throws InvalidConfigError naming each bad field, when the functions would refuse even the
 *   whole config at cold start (a list past its bound, a value the schema refuses): a config
 *   that passes synth must never be refused at run time.
 */
export function configEnvironment(synthConfig: UserConfig): string {
  const config = withoutSynthOnlyFields(synthConfig);
  const defaults = userConfigSchema.parse({ groups: { tag: { key: 'k', value: 'v' } } }) as Json;
  const compact = { ...withoutDefaults(config as Json, defaults), groups: config.groups };
  const standIns = new Map<string, string>();
  const whole = parseAsFunctionsRead(config, FUNCTIONS_SOURCE, standIns);
  const fromCompact = userConfigSchema.safeParse(asFunctionsRead(compact, standIns));
  const same = fromCompact.success && isDeepStrictEqual(fromCompact.data, whole);
  return JSON.stringify(same ? compact : config);
}

/**
 * `config` without what only synth reads, which no function needs: the notification email (the
 * topic's subscription, personal data every function's environment would show) and the event
 * senders (the bus's policy). Their schema defaults are what the functions read instead.
 */
function withoutSynthOnlyFields(config: UserConfig): UserConfig {
  const { notifications: _email, eventSenders: _senders, ...read } = config;
  return { ...read, notifications: {} };
}

const FUNCTIONS_SOURCE = `${ENV.config} (the configuration as each Prescale function reads it at cold start)`;

/**
 * What a function's cold start reads from `form`: its JSON text, each token (a construct group's
 * name, launch template or role, resolved at deploy) replaced by a valid stand-in.
 */
const asFunctionsRead = (form: Json, standIns: Map<string, string>): unknown =>
  JSON.parse(JSON.stringify(withoutTokens(form, standIns)));

/**
 * `config` parsed as each function's cold start parses it, tokens replaced by stand-ins.
 * @throws InvalidConfigError from `source`, naming each field the functions would refuse.
 */
export function parseAsFunctionsRead(
  config: UserConfig,
  source: string,
  standIns = new Map<string, string>(),
): UserConfig {
  return parseConfig(userConfigSchema, asFunctionsRead(config as Json, standIns), source);
}

/**
 * `value` without the fields equal to `defaults`' at the same path. An object whose `kind` is not
 * the default's (a metric of another kind) is another shape whose own defaults may differ: kept whole.
 */
function withoutDefaults(value: Json, defaults: Json): Json {
  const kept: Json = {};
  for (const [key, field] of Object.entries(value)) {
    const byDefault = defaults[key];
    if (field === undefined || isDeepStrictEqual(field, byDefault)) continue;
    const sameShape = isObject(field) && isObject(byDefault) && field.kind === byDefault.kind;
    kept[key] = sameShape ? withoutDefaults(field, byDefault) : field;
  }
  return kept;
}

/**
 * The lists a construct group adds to (its name, launch template id and instance role: tokens
 * until deploy, which the schema's patterns cannot check) with each token replaced by one valid
 * stand-in, the same in every call sharing `standIns`.
 */
function withoutTokens(config: Json, standIns: Map<string, string>): Json {
  const replaced = (values: unknown, standIn: (i: number) => string) =>
    Array.isArray(values)
      ? values.map((v) => {
          if (typeof v !== 'string' || !Token.isUnresolved(v)) return v;
          if (!standIns.has(v)) standIns.set(v, standIn(standIns.size));
          return standIns.get(v);
        })
      : values;
  const groups = config.groups as Json;
  const permissions = config.launchPermissions;
  return {
    ...config,
    groups: { ...groups, names: replaced(groups.names, (i) => `prescale-construct-group-${i}`) },
    ...(isObject(permissions)
      ? {
          launchPermissions: {
            ...permissions,
            launchTemplateIds: replaced(
              permissions.launchTemplateIds,
              (i) => `lt-${String(i).padStart(17, '0')}`,
            ),
            instanceRoleNames: replaced(permissions.instanceRoleNames, (i) => `prescale-construct-role-${i}`),
          },
        }
      : {}),
  };
}

/** One part of the configuration and its size in `PRESCALE_CONFIG`. */
export interface ConfigPart {
  /** Dotted path: `groups.names`, `groupOverrides`, `rollingUpdate.alarmNames`. */
  readonly path: string;
  readonly bytes: number;
}

/**
 * The parts of the compact configuration `configJson`, largest first, each top-level field's own
 * fields apart (`rollingUpdate.alarmNames`, not `rollingUpdate`), except `groupOverrides`, one
 * part for all groups. `bytesOf` sizes a JSON text (as deployed, tokens at their longest).
 */
export function configParts(configJson: string, bytesOf: (json: string) => number): ConfigPart[] {
  const config = JSON.parse(configJson) as Json;
  const parts: ConfigPart[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (isObject(value) && key !== 'groupOverrides') {
      for (const [field, inner] of Object.entries(value))
        parts.push({ path: `${key}.${field}`, bytes: bytesOf(JSON.stringify(inner)) });
    } else parts.push({ path: key, bytes: bytesOf(JSON.stringify(value)) });
  }
  return parts.sort((a, b) => b.bytes - a.bytes);
}
