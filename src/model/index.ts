export * from './finding.js';
export * from './files.js';
export * from './config.js';
export * from './http.js';
export * from './schema.js';
