/**
 * Example code, recognised from its path alone: apps in `examples/`, `example/`, `playground/`, `demo/`,
 * `samples/` folders show how to use the project (a framework's sample server, an SDK's demo app). They
 * are run on a laptop, not deployed from the repository, so the routes input leaves them out of the
 * services it reports, as it does test code: probes, versions and rate limits are asked of what ships.
 */
const EXAMPLE_FOLDER = /(?:^|\/)(?:examples?|playgrounds?|demos?|samples?)\//i;

/** Is the file at this (root-relative, `/`-separated) path example code? */
export function isExamplePath(path: string): boolean {
  return EXAMPLE_FOLDER.test(path);
}

/**
 * Archived documents, recognised from their path alone: a description kept in an `old/`, `archive/`,
 * `archived/`, `deprecated/`, `obsolete/` or `outdated/` folder is a record of an API as it once was
 * (a draft the project moved away from, a removed version), not the contract anything serves today.
 */
const ARCHIVE_FOLDER = /(?:^|\/)(?:old|archives?|archived|deprecated|obsolete|outdated)\//i;

/** Is the file at this (root-relative, `/`-separated) path an archived document? */
export function isArchivedPath(path: string): boolean {
  return ARCHIVE_FOLDER.test(path);
}

/**
 * Copies of a description kept for a tool, not served: an agent skill's reference material
 * (`skills/<skill>/references/openapi.json`, next to its `SKILL.md`: the API as an AI assistant should call it)
 * and a spec-kit feature plan's contracts (`specs/001-feature/contracts/api.yaml`: the design written before the
 * code, which the implementation may have left). The service's own description, or its code, is the contract.
 */
const REFERENCE_COPY_FOLDER =
  /(?:^|\/)(?:skills\/[^/]+\/(?:references|assets|resources)|specs\/\d{3}-[^/]+\/contracts)\//i;

/** Is the file at this (root-relative, `/`-separated) path a tool's reference copy or a feature plan's contract? */
export function isReferenceCopyPath(path: string): boolean {
  return REFERENCE_COPY_FOLDER.test(path);
}

/**
 * A sample script, recognised from its file name: `sample.js`, `example.ts`, `demo.mjs` beside a library's code (an
 * uploads library's `sample.js` starting an app to show its calls). Like an `examples/` folder, it shows how to use
 * the project and is run by hand, not deployed. In the singular only: `routes/examples.ts` serves a resource.
 */
const SAMPLE_FILE = /(?:^|\/)(?:example|sample|demo)\.[cm]?[jt]sx?$/i;

/** Is the file at this (root-relative, `/`-separated) path a sample script? */
export function isSampleScriptPath(path: string): boolean {
  return SAMPLE_FILE.test(path);
}

/**
 * A first-run installer, recognised from its path: an app in a `setup`/`install` file or an `install/` folder
 * (`server/setup.js`, `server/setup-database.js`, `install/web.js`) that serves the configuration wizard until the
 * product is set up, then hands over to the real server. It runs once, on the operator's screen; probes, limits
 * and versions are asked of the service it sets up.
 */
const INSTALLER_FILE =
  /(?:^|\/)(?:(?:setup|install|installer)(?:[-_.][a-z]+)*\.[cm]?[jt]sx?|(?:install|installer)\/[^/]+)$/i;

/** Is the file at this (root-relative, `/`-separated) path where a first-run installer app is created? */
export function isInstallerPath(path: string): boolean {
  return INSTALLER_FILE.test(path);
}

/** A first-run installer or a sample script: an app the repository does not deploy when another app beside it is. */
export function isNotShippedPath(path: string): boolean {
  return isInstallerPath(path) || isSampleScriptPath(path);
}
