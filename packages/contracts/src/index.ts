export * from './operation-outcome.js';
export * from './health.js';
export * from './identity.js';
export * from './visits.js';
export * from './scheduling.js';
export * from './record.js';
