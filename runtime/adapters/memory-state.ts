import type { StateEntry, StateStore } from '../core/engine/ports.ts';

export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, { value: string; version: number }>();

  async get(key: string): Promise<StateEntry | undefined> {
    const e = this.entries.get(key);
    return e ? { value: e.value, version: String(e.version) } : undefined;
  }

  async put(key: string, value: string, expectedVersion: string | undefined): Promise<boolean> {
    const e = this.entries.get(key);
    if ((e ? String(e.version) : undefined) !== expectedVersion) return false;
    this.entries.set(key, { value, version: (e?.version ?? 0) + 1 });
    return true;
  }
}
