import type {
  DiscoveredDependencyStore,
  StoredDependencyDiscovery,
} from '../../shared/ports/dependency-discovery';

/** An in-memory `DiscoveredDependencyStore` with the DynamoDB adapter's semantics (see the contract suite). */
export class MemoryDiscoveredDependencyStore implements DiscoveredDependencyStore {
  stored: StoredDependencyDiscovery | undefined;
  /** When the store may delete the item (DynamoDB's TTL); it never does here. */
  expiresAtMs: number | undefined;
  /** How many times it was read, to show a path that must not read it did not. */
  reads = 0;

  constructor(stored?: StoredDependencyDiscovery) {
    this.stored = stored;
  }

  async putDiscovery(discovery: StoredDependencyDiscovery, expiresAtMs: number): Promise<void> {
    // Only a newer discovery replaces the stored one, as the adapter's conditional write.
    if (this.stored && this.stored.discoveredAtMs >= discovery.discoveredAtMs) return;
    this.stored = {
      discoveredAtMs: discovery.discoveredAtMs,
      edges: discovery.edges.map(({ from, to, requestCount }) => ({ from, to, requestCount })),
    };
    this.expiresAtMs = expiresAtMs;
  }

  async getDiscovery(): Promise<StoredDependencyDiscovery | undefined> {
    this.reads += 1;
    return this.stored && { ...this.stored, edges: this.stored.edges.map((e) => ({ ...e })) };
  }
}
