/**
 * A tiny typed event emitter: each manager declares its events as a map (name → payload) and the
 * room subscribes to what it needs. `on` returns the unsubscribe function (handy in React effects).
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  protected emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (p: Events[K]) => void)(payload);
  }

  /** Drops every listener (the manager is being disposed). */
  protected clearListeners(): void {
    this.listeners.clear();
  }
}
