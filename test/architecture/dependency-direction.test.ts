import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { importSpecifiers, REPO_ROOT, sourceFiles } from '../helpers/source-imports';

/**
 * STYLE.md's layering, checked from the import statements so a wrong arrow fails CI:
 * functions → usecases/aws/contracts → ports → core; infra → contracts; nothing in shared/ imports
 * functions/ or infra/ (except the simulation, the local composition root that drives the real
 * handlers); no cycles; shared/core stays pure.
 */
const FILES = ['shared', 'functions', 'infra'].flatMap(sourceFiles).filter((f) => f.endsWith('.ts'));

/** The layer of a repo path: `shared/core`, `shared/ports`, …, `functions`, `infra`. */
function layerOf(file: string): string {
  const [top, second] = file.split(path.sep);
  return top === 'shared' ? `shared/${second}` : (top ?? '');
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.normalize(path.join(path.dirname(from), spec));
}

const ALLOWED: Record<string, readonly string[]> = {
  'shared/core': ['shared/core'],
  'shared/ports': ['shared/ports', 'shared/core'],
  'shared/contracts': ['shared/contracts', 'shared/ports', 'shared/core'],
  'shared/usecases': ['shared/usecases', 'shared/contracts', 'shared/ports', 'shared/core'],
  'shared/aws': ['shared/aws', 'shared/contracts', 'shared/ports', 'shared/core'],
  'shared/solvers': ['shared/solvers', 'shared/ports', 'shared/core'],
  'shared/simulation': ['shared', 'functions'],
  // Command-line helpers are composition roots too, like the simulation.
  'shared/cli': ['shared'],
  functions: ['functions', 'shared'],
  infra: ['infra', 'shared/contracts'],
};

const PURE_FORBIDDEN_PACKAGES =
  /^(@aws-sdk\/|@aws-lambda-powertools\/|@middy\/|aws-cdk-lib|constructs$|node:fs|fs$)/;
const SDK_PACKAGES = /^(@aws-sdk\/|@aws-lambda-powertools\/|@middy\/|aws-cdk-lib)/;

describe('dependency direction', () => {
  it('finds the source tree', () => {
    expect(FILES.length).toBeGreaterThan(20);
  });

  it.each(FILES)('%s imports only what its layer may', (file) => {
    const layer = layerOf(file);
    const allowed = ALLOWED[layer];
    expect(allowed).toBeDefined();
    for (const spec of importSpecifiers(file)) {
      const target = resolveLocal(file, spec);
      if (target) {
        const ok = (allowed ?? []).some(
          (prefix) => target === prefix || target.startsWith(`${prefix}${path.sep}`),
        );
        if (!ok)
          throw new Error(
            `${file} (layer ${layer}) imports ${spec} → ${target}, outside ${allowed?.join(', ')}`,
          );
      } else if (layer === 'shared/core' && PURE_FORBIDDEN_PACKAGES.test(spec)) {
        throw new Error(`${file} is in the pure core but imports ${spec}`);
      } else if ((layer === 'shared/ports' || layer === 'shared/usecases') && SDK_PACKAGES.test(spec)) {
        throw new Error(`${file} (layer ${layer}) imports ${spec}; only shared/aws may use AWS packages`);
      }
    }
  });

  it('keeps the core free of ambient time, randomness and environment', () => {
    const offenders: string[] = [];
    for (const file of FILES.filter((f) => layerOf(f) === 'shared/core')) {
      const code = readFileSync(path.join(REPO_ROOT, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const pattern of [/process\.env/, /Date\.now\(/, /Math\.random\(/, /new Date\(\s*\)/]) {
        if (pattern.test(code)) offenders.push(`${file}: ${pattern.source}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const file of FILES) {
      const targets = importSpecifiers(file)
        .map((spec) => resolveLocal(file, spec))
        .filter((t): t is string => t !== undefined)
        .map((t) => (t.endsWith('.ts') ? t : `${t}.ts`))
        .filter((t) => FILES.includes(t));
      graph.set(file, targets);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const file of FILES) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
