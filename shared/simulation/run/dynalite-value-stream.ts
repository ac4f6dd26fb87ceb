import { Readable } from 'node:stream';

/** The part of dynalite's LevelDB store its value streams read. */
export interface DynaliteLevelDb {
  values(options?: object): { next(): Promise<unknown>; return?(): Promise<unknown> };
  createValueStream(options?: object): Readable;
}

/**
 * Replaces dynalite's `createValueStream` on its LevelDB store (`dynalite/db` `create().db`, which
 * every table's sublevel streams through: each `Query` and `Scan`) with the same stream built
 * without its per-call `require('stream')`: under the simulation's loader (tsx) each such call
 * resolves the module name again, ~0.5 % of Prescale's 7-day run. The stream is dynalite's own,
 * line for line: an object-mode `Readable` over the store's value iterator, ending on its first
 * `undefined`, destroyed on a rejected `next()`, returning the iterator when destroyed.
 */
export function streamValuesWithoutRequire(levelDb: DynaliteLevelDb): void {
  levelDb.createValueStream = (options?: object): Readable => {
    const iterator = levelDb.values(options);
    return new Readable({
      objectMode: true,
      read() {
        iterator
          .next()
          .then((value) => {
            if (value === undefined) this.push(null);
            else this.push(value);
          })
          .catch((err: Error) => {
            this.destroy(err);
          });
      },
      destroy(err, callback) {
        if (iterator.return) {
          iterator
            .return()
            .then(() => callback?.(err))
            .catch(() => callback?.(err));
        } else {
          callback?.(err);
        }
      },
    });
  };
}
