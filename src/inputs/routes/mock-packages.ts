/**
 * A package whose manifest says it is a mock: `"name": "dbgate-aigwmock"`, `"description": "Mock AI Gateway server for
 * E2E testing"`, `@acme/mock-oauth-server`. Its app stands in for a third party while tests or local development run;
 * the repository does not deploy it, so probes, versions and limits are asked of the product's own services.
 */
import { posix } from 'node:path';
import { isNotShippedPath } from '../../model/example-paths.js';
import type { Service } from '../../model/http.js';

/** `mock` (or `fake`) as a word of the package name, or as the end of one (`aigwmock`, `mockserver` is a start). */
const MOCK_NAME = /(^|[-_/@.])(mock|mocks|fake)([-_.]|$)|mock(s|-?server)?$|^(@[^/]+\/)?mock/i;
/** A description that calls the package a mock or fake server or service (`Mock AI Gateway server for E2E testing`). */
const MOCK_DESCRIPTION = /\b(mock|fake)\b[^.]{0,60}\b(server|service|api|gateway|backend)\b/i;

export interface Manifest {
  path: string;
  content: string;
}

/**
 * An installer, a sample script or a mock server beside the product's own server is not deployed (alone, a file name
 * or a manifest proves nothing: it may be all the repository has).
 */
export function markNotShipped(services: Service[], manifests: readonly Manifest[]): void {
  const notShipped = (file: string) => isNotShippedPath(file) || inMockPackage(file, manifests);
  if (!services.some((service) => service.source === 'typescript' && !notShipped(service.origin.file))) return;
  for (const service of services)
    if (service.source === 'typescript' && notShipped(service.origin.file)) service.deployable = false;
}

/** Whether the nearest package manifest above a file declares its package a mock. */
export function inMockPackage(file: string, manifests: readonly Manifest[]): boolean {
  const byDir = new Map(manifests.map((m) => [posix.dirname(m.path), m]));
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    const manifest = byDir.get(dir);
    if (manifest) return declaresMock(manifest.content);
    if (dir === '.' || dir === '/' || dir === '') return false;
  }
}

function declaresMock(content: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object') return false;
  const { name, description } = parsed as { name?: unknown; description?: unknown };
  return (
    (typeof name === 'string' && MOCK_NAME.test(name)) ||
    (typeof description === 'string' && MOCK_DESCRIPTION.test(description))
  );
}
