import { Readable } from 'node:stream';

/** An abstract-level iterator, as dynalite's streams read it. */
interface LevelIterator {
  next(): Promise<unknown>;
  /** abstract-level's: releases the iterator (the database holds every open one, and its snapshot). */
  close?(): Promise<void>;
}

/** The part of dynalite's LevelDB store its streams read. */
export interface DynaliteLevelDb {
  values(options?: object): LevelIterator;
  keys(options?: object): LevelIterator;
  createValueStream(options?: object): Readable;
  createKeyStream(options?: object): Readable;
}

/**
 * Replaces dynalite's `createValueStream` and `createKeyStream` on its LevelDB store
 * (`dynalite/db` `create().db`, which every table's sublevel streams through: each `Query` and
 * `Scan`, and every `DeleteTable`) with the same streams, built
 * - closing their iterator. dynalite's streams end by calling the iterator's `return()`, which
 *   abstract-level iterators do not have, so none was ever closed: memory-level keeps each open
 *   iterator, with the snapshot of the store it reads, until the database closes. In the
 *   simulation that was every tick's queries and each run's dropped state table, ~8 MB held per
 *   run, gigabytes over a benchmark's grid.
 * - without a per-call `require('stream')`: under the simulation's loader (tsx) each such call
 *   resolves the module name again, ~0.5 % of Prescale's 7-day run.
 * Otherwise they are dynalite's, line for line: an object-mode `Readable` over the store's
 * iterator, ending on its first `undefined`, destroyed on a rejected `next()`.
 */
export function closeDynaliteStreams(levelDb: DynaliteLevelDb): void {
  levelDb.createValueStream = (options?: object) => closingStream(levelDb.values(options));
  levelDb.createKeyStream = (options?: object) => closingStream(levelDb.keys(options));
}

/** A stream over `iterator` that closes it once, when the stream ends, fails or is destroyed. */
function closingStream(iterator: LevelIterator): Readable {
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= iterator.close ? iterator.close() : Promise.resolve();
    return closing;
  };
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
      close()
        .then(() => callback(err))
        .catch(() => callback(err));
    },
  });
}
