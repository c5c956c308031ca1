/**
 * Entry point of the GitHub Action. action.yml runs the committed bundle of this file
 * (action/dist/main.js, scripts/bundle-action.mjs) with the runner's own Node.js (`runs.using`),
 * in the workspace. No top-level await: the bundle is CommonJS, which Node starts fastest.
 */
import { processIo } from '../cli/io.js';
import { runAction } from './run.js';

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stdout.write(
    `::error title=archlint::archlint needs Node.js 20 or later, the runner has ${process.version}.\n`,
  );
  process.exitCode = 2;
} else {
  void runAction(processIo()).then((code) => {
    process.exitCode = code;
  });
}
