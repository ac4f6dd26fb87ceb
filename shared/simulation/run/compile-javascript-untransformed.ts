/*
 * `npm start` runs the TypeScript sources under tsx's CommonJS hook, which also takes every `.js`
 * file: it reads it and scans it for ESM syntax (es-module-lexer, its asm.js build while the
 * process starts up) before compiling it. Every `.js` file the simulation loads is CommonJS —
 * the SDK and other packages, and the handler bundles esbuild writes — so the scan only costs
 * (about 0.1 s of CPU per process, most of it loading the SDK clients). Imported first by the
 * simulation's entry points (`cli.ts`, `policy-worker.ts`), this compiles `.js` files as Node
 * itself does (Node ≥ 20.19 loads a file with ESM syntax as ESM; where it cannot, the file fails to
 * compile before any of it runs and goes to tsx, as before). TypeScript files are tsx's as ever.
 */
import Module from 'node:module';

type CompileExtension = (module: NodeJS.Module, filename: string) => void;
type CompilingModule = NodeJS.Module & { _compile(content: string, filename: string): void };

/** Node's messages for ESM syntax in a file compiled as CommonJS. */
const ESM_SYNTAX = /Cannot use import statement outside a module|Unexpected token 'export'|import\.meta/;

const extensions = (Module as unknown as { _extensions: Record<string, CompileExtension> })._extensions;
const transforming = extensions['.js'];

if (transforming) {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  extensions['.js'] = function compileUntransformed(this: unknown, module, filename) {
    let source: string;
    try {
      source = readFileSync(filename, 'utf8');
    } catch {
      return transforming.call(this, module, filename);
    }
    try {
      (module as CompilingModule)._compile(source, filename);
    } catch (error) {
      if (error instanceof SyntaxError && ESM_SYNTAX.test(error.message) && !module.loaded)
        return transforming.call(this, module, filename);
      throw error;
    }
  };
}
