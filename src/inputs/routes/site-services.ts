/**
 * Which services an error site can answer (ErrorSite.heldBy): the code services whose code reaches the file it is
 * written in, by imports followed from the files that declare each service and its routes (Reach). A helper, a
 * middleware or a service method that sends an error answers requests of those services only; a site in a shared
 * package answers each service that imports it.
 *
 * When a service's code is larger than Reach follows, what it reaches is not all it runs: nothing is said then (a
 * site it may reach could be marked as served by other services only).
 */
import type { ErrorSite } from '../../model/code-http.js';
import type { FileSet, TextFiles } from '../../model/files.js';
import type { Endpoint, Service } from '../../model/http.js';
import { markDevOnlyErrorSites } from './dev-only.js';
import type { Modules } from './modules.js';
import type { Reach } from './reach.js';
import type { WordFiles } from './word-files.js';
import { serviceRootFiles } from './service-facts.js';

/** Where each error site runs: the services that hold it (ErrorSite.heldBy), and whether only in development (devOnly). */
export function markWhereErrorSitesRun(
  sites: ErrorSite[],
  code: {
    services: readonly Service[];
    endpoints: readonly Endpoint[];
    reach: Reach;
    modules: Modules;
    /** The sources, with the index of their words. */
    words: WordFiles;
    fileSet: FileSet;
    text: TextFiles;
  },
): void {
  markHoldingServices(sites, code.services, code.endpoints, code.reach);
  markDevOnlyErrorSites(sites, code.modules, code.words, code.fileSet, code.text);
}

export function markHoldingServices(
  sites: ErrorSite[],
  services: readonly Service[],
  endpoints: readonly Endpoint[],
  reach: Reach,
): void {
  if (sites.length === 0) return;
  const heldBy = new Map<string, string[]>();
  for (const [id, roots] of serviceRootFiles(services, endpoints)) {
    const files = reach.filesFrom(roots);
    if (!reach.complete(files)) return;
    for (const file of files) {
      const list = heldBy.get(file.path);
      if (list) list.push(id);
      else heldBy.set(file.path, [id]);
    }
  }
  for (const site of sites) {
    const ids = heldBy.get(site.origin.file);
    if (ids) site.heldBy = [...ids].sort();
  }
}
