import type { SearchPlan } from './explain.js';

/** What differs between the two backends, beyond the server's environment. */
export interface BackendOps {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
  /** Both are called only while the server is stopped. */
  explain(patientIds: readonly string[]): Promise<SearchPlan>;
  /** Gives the planner statistics (ANALYZE), as autovacuum would when it is on. */
  analyze(): Promise<void>;
  /** CPU ms used so far by the database's own processes serving the server, by pid; absent when the database is in-process. */
  databaseCpu?(): Promise<ReadonlyMap<number, number>>;
  close(): Promise<void>;
}
