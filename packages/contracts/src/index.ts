export * from './operation-outcome.js';
export * from './health.js';
