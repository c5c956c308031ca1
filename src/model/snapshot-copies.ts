/**
 * Snapshots of a tutorial: copies of one app kept side by side, one per step of a book, course or workshop
 * (`book/1-end/`, `book/2-begin/`, … `book/10-end/`; `lessons/01-setup/`, `lessons/02-auth/`; `step-3/`). Each is the
 * same project frozen at a chapter so that a reader can start from it; none is deployed, and the app that is (often
 * beside them: `saas/`) is judged on its own. Judging every copy asked the same app for the same probes, limits and
 * timeouts once per chapter.
 *
 * Recognised from the tree alone, never from a folder's name alone:
 * - sibling folders named as numbered steps: a number of one to three digits that starts the name, or follows a
 *   word (`1-begin`, `01-intro`, `step-3`, `chapter2`, `part_4-auth`), with at least two different numbers among
 *   them; a version is not a step (`v1/`, `apiV2/`: the versions of one API are all served), nor is a date or a
 *   migration's timestamp (four digits and more);
 * - each such folder holds an app of its own (a `package.json` at any depth below it);
 * - and is a copy: at least half of its code files, and at least three, are found in another numbered sibling under
 *   the same path below it with the same size (a copy carried from one chapter to the next, unchanged).
 * Numbered folders of different apps (`services/01-orders/`, `services/02-billing/`) share no such files and stay
 * services; a monorepo's `apps/api`, `apps/web` are not numbered; one chapter on its own is no sequence.
 *
 * What the copies hold runs in no deployment: the routes input leaves them out of the services (as it does examples
 * and tests) and does not take their proxy or probe settings for the deployment's, the code input's reach makes their
 * modules `unreached`, and no description in them is judged. Their text is still scanned for secrets: a key committed
 * in a copy is committed all the same. Their migrations are still read: no measured tree had a copy holding any.
 */
import type { FileSet } from './files.js';
import { judgingRoots, pathBelowRoot } from './test-paths.js';

/** A step's name: an optional word, then a number of one to three digits, then nothing or a separated rest. */
const STEP_NAME = /^(?:([a-z]+)[-_ ]?)?(\d{1,3})(?:[-_. ][^/]*)?$/i;
/** The word before a version's number: `v1`, `version-2`, `apiV3`. */
const VERSION_WORD = /(?:v|ver|version)$/i;
/** Files a copy shares with another step before it counts as one: a scaffold's one or two files say little. */
const MIN_SHARED_FILES = 3;

interface Step {
  number: number;
  /** Code files below the step's folder, by their path below it, with their sizes. */
  files: Map<string, number>;
  /** A package manifest lies below it: an app (or package) of its own. */
  manifest: boolean;
}

/** A file as the judgement reads it: its path below the lint root, its size, whether it is code. */
export interface SizedFile {
  path: string;
  size: number;
  code: boolean;
}

/** The folders (paths below the lint root, sorted) that hold snapshot copies of an app, from the files of a tree. */
export function snapshotCopyFolders(files: Iterable<SizedFile>): string[] {
  const groups = new Map<string, Map<string, Step>>();
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      const match = STEP_NAME.exec(parts[i]!);
      if (!match || (match[1] !== undefined && VERSION_WORD.test(match[1]))) continue;
      const parent = parts.slice(0, i).join('/');
      let steps = groups.get(parent);
      if (!steps) groups.set(parent, (steps = new Map()));
      let step = steps.get(parts[i]!);
      if (!step) steps.set(parts[i]!, (step = { number: Number(match[2]), files: new Map(), manifest: false }));
      const below = parts.slice(i + 1).join('/');
      if (parts[parts.length - 1] === 'package.json') step.manifest = true;
      if (file.code) step.files.set(below, file.size);
    }
  }
  const out: string[] = [];
  for (const [parent, steps] of groups) {
    const apps = [...steps].filter(([, step]) => step.manifest && step.files.size > 0);
    if (numbers(apps) < 2) continue;
    // How many steps hold each file unchanged (same path below the step, same size).
    const holders = new Map<string, number>();
    for (const [, step] of apps)
      for (const [path, size] of step.files) holders.set(`${size} ${path}`, (holders.get(`${size} ${path}`) ?? 0) + 1);
    const copies = apps.filter(([, step]) => {
      let shared = 0;
      for (const [path, size] of step.files) if (holders.get(`${size} ${path}`)! > 1) shared++;
      return shared >= MIN_SHARED_FILES && shared * 2 >= step.files.size;
    });
    if (numbers(copies) < 2) continue;
    for (const [name] of copies) out.push(parent ? `${parent}/${name}` : name);
  }
  return out.sort();
}

function numbers(steps: ReadonlyArray<[string, Step]>): number {
  return new Set(steps.map(([, step]) => step.number)).size;
}

/** The snapshot folders of each discovered tree, judged once (keyed by the file list discovery made). */
const judged = new WeakMap<object, ReadonlySet<string>>();

/**
 * Is the file at this path (below its lint root, `/`-separated: TextFile.rootPath, test-paths.ts pathBelowRoot) in a
 * snapshot copy of an app, as the whole discovered tree shows?
 */
export function snapshotCopies(fileSet: FileSet): (pathBelowRoot: string) => boolean {
  let folders = judged.get(fileSet.files);
  if (!folders) {
    const roots = judgingRoots(fileSet);
    folders = new Set(
      snapshotCopyFolders(
        fileSet.files.map((file) => ({
          path: pathBelowRoot(file, roots),
          size: file.size,
          code: file.kind === 'code',
        })),
      ),
    );
    judged.set(fileSet.files, folders);
  }
  const found = folders;
  if (found.size === 0) return () => false;
  return (path) => {
    for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1))
      if (found.has(path.slice(0, end))) return true;
    return false;
  };
}
