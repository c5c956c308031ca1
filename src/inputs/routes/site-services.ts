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
import { markErrorSiteCallers } from './site-callers.js';
import type { Modules } from './modules.js';
import type { Reach } from './reach.js';
import type { WordFiles } from './word-files.js';
import { serviceRootFiles } from './service-facts.js';

/**
 * Where each error site runs: the services that hold it (ErrorSite.heldBy), the calls of the helper it is written in
 * (calledFrom), and whether only in development (devOnly).
 */
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
  markErrorSiteCallers(sites, code.words);
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
  const roots = serviceRootFiles(services, endpoints);
  // With no code service known, that none reaches a file says nothing.
  if (roots.size === 0) return;
  for (const [id, files] of roots) {
    const reached = reach.filesFrom(files);
    if (!reach.complete(reached)) return;
    for (const file of reached) {
      const list = heldBy.get(file.path);
      if (list) list.push(id);
      else heldBy.set(file.path, [id]);
    }
  }
  // Routes whose app archlint cannot name (a router reached through an argument) run code no service is known to reach.
  const known = new Set(services.map((service) => service.id));
  const whole = endpoints.every((endpoint) => endpoint.source !== 'typescript' || known.has(endpoint.serviceId));
  for (const site of sites) {
    const ids = heldBy.get(site.origin.file);
    // Every app's code was followed whole: a file none of them reaches is run by none archlint knows.
    if (ids || whole) site.heldBy = [...(ids ?? [])].sort();
  }
}
