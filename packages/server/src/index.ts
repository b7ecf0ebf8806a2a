/** Public surface of the server package. */
export { buildApp, type BuildAppOptions, type CarelineApp } from './app.js';
export { loadConfig, type CarelineConfig } from './platform/config/config.js';
export type { Database, Queryable } from './platform/db/database.js';
export { main } from './cli/main.js';
