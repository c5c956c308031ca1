/** Entry point of the GitHub Action: action.yml runs `node dist/src/action/main.js` in the workspace. */
import { processIo } from '../cli/io.js';

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stdout.write(`::error title=archlint::archlint needs Node.js 20 or later, the runner has ${process.version}; add actions/setup-node before this step.\n`);
  process.exitCode = 2;
} else {
  const { runAction } = await import('./run.js');
  process.exitCode = await runAction(processIo());
}
