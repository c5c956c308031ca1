/** The `openapi` model: the services and endpoints of every description, and what each description is. */
import type { HttpModel } from './http.js';

export interface OpenApiDescription {
  /** The root file (report path). */
  path: string;
  /** '2.0', '3.0.3', '3.1.0', … as written. */
  version: string;
  title: string;
  serviceId: string;
  endpointCount: number;
}

export interface OpenApiModel {
  http: HttpModel;
  descriptions: OpenApiDescription[];
}
