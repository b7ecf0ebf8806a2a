/** URL of the same server with another database name. */
export function databaseUrl(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The maintenance database, from which databases are created and dropped. */
export function adminUrl(base: string): string {
  return databaseUrl(base, 'postgres');
}
