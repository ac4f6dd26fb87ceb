import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The SDK's generated schema modules (one per client, and per nested client). */
const SDK_SCHEMA_MODULE =
  /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.*[\\/])?schemas[\\/]schemas_\d+\.js$/;

/** Powertools parser modules (schemas, envelopes, helpers). */
const POWERTOOLS_PARSER_MODULE =
  /[\\/]node_modules[\\/]@aws-lambda-powertools[\\/]parser[\\/]lib[\\/]esm[\\/].*\.js$/;

/** `const _xN = "xmlName";`: the string constants a schema module names its trait keys with. */
const STRING_CONSTANT = /^const (_\w+) = "([^"\\]*)";$/gm;

/**
 * Rewrites `{ [_xN]: v }` to `{ "xmlName": v }` where `_xN` is one of the module's own string
 * constants: the same object, but esbuild can drop the unused schemas (it keeps any statement with
 * a computed key, which might run code). Upstream: aws/aws-sdk-js-v3#7607, smithy-typescript#1889.
 */
export function literalTraitKeys(source: string): string {
  const constants = new Map<string, string>();
  for (const [, name, value] of source.matchAll(STRING_CONSTANT))
    constants.set(name as string, value as string);
  return source.replace(/\[(_\w+)\]:/g, (key, name: string) => {
    const value = constants.get(name);
    return value === undefined ? key : `${JSON.stringify(value)}:`;
  });
}

/**
 * Rewrites `import { z } from 'zod'` to `import * as z from 'zod'`: the same namespace, but esbuild
 * then keeps only the members used instead of all of zod (its 40+ locales, JSON Schema and
 * compile modules: 378 KB minified).
 */
export function namespaceZodImport(source: string): string {
  return source
    .replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';")
    .replace(
      /^import \{ ZodError, z \} from 'zod';$/m,
      "import { ZodError } from 'zod';\nimport * as z from 'zod';",
    );
}

export const shakeableSources: Plugin = {
  name: 'prescale-shakeable-sources',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMA_MODULE }, async (args) => ({
      contents: literalTraitKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
    build.onLoad({ filter: POWERTOOLS_PARSER_MODULE }, async (args) => ({
      contents: namespaceZodImport(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
