export { createTextFile, type TextFileSource } from './text-file.js';
export { createTextFiles, loadTextFile } from './text-files.js';
