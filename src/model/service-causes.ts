/**
 * One cause, one finding across a description and the code it documents (Service.servedBy): a service-wide rule
 * judges code services first, notes those it reports, and leaves out a description whose serving code it reported
 * for the same thing (api/rate-limit-responses, api/versioned-routes).
 */
import type { Service } from './http.js';

export class ReportedServices {
  private readonly ids = new Set<string>();

  /** `items` with those of code services before those of descriptions (a stable order otherwise). */
  static codeFirst<T>(items: Iterable<T>, serviceOf: (item: T) => Service | undefined): T[] {
    const isDescription = (item: T) => Number(serviceOf(item)?.source === 'openapi');
    return [...items].sort((a, b) => isDescription(a) - isDescription(b));
  }

  add(serviceId: string): void {
    this.ids.add(serviceId);
  }

  /** A description whose serving code was reported: its finding would repeat that one. */
  repeats(service: Service | undefined): boolean {
    return service?.servedBy?.some((id) => this.ids.has(id)) ?? false;
  }
}
