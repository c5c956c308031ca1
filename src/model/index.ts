export * from './finding.js';
export * from './files.js';
export * from './config.js';
