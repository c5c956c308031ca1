/**
 * `archlint map`: the architecture archlint found, as data — services with their API surface and
 * the databases they own, each schema's tables with keys and foreign keys — with the run's
 * findings counted on each node and the planted problems (unindexed foreign keys, tables without a
 * primary key) marked where they stand. mermaid.ts draws it; the JSON is this structure.
 *
 * Everything here is read from the models the rules read and from the findings of the same run;
 * nothing is judged again: a foreign key is "unindexed" when db/indexed-foreign-keys reported it.
 */
import { posix } from 'node:path';
import type { Finding } from '../model/finding.js';
import type { HttpModel, HttpSource } from '../model/http.js';
import type { Schema, TableName } from '../model/schema.js';
import type { Locator } from '../engine/locate.js';
import type { Origin } from '../model/finding.js';
import type { ComposeService, OutboundCall } from '../model/code-http.js';
import { type MapCall, resolveCalls } from './calls.js';

export type { MapCall } from './calls.js';

export interface MapService {
  id: string;
  name: string;
  framework?: string;
  source: HttpSource;
  deployable: boolean;
  file: string;
  line: number;
  endpoints: number;
  /** Endpoints per role (resource, infrastructure, protocol, webhook…). */
  roles: Record<string, number>;
  /** Resource endpoints whose path carries a version segment (`/v1/…`). */
  versioned: number;
  /** Endpoints per first path segments (`/api/orders` → 12): where routers are mounted. */
  prefixes: Record<string, number>;
  /** Schemas (their `root`) whose folder lies in this service's package. */
  databases: string[];
  findings: number;
  /** The findings counted in `findings`, where they stand. */
  reported: MapFinding[];
  /** Each endpoint: method, full path, role and where it is declared. */
  routes: MapRoute[];
}

export interface MapRoute {
  method: string;
  path: string;
  role: string;
  file: string;
  line: number;
}

/** A finding of the run, as a node of the map shows it. */
export interface MapFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
}

export interface MapForeignKey {
  columns: string[];
  references: { table: string; columns: string[] };
  file: string;
  line: number;
  /** False when db/indexed-foreign-keys reported it in this run. */
  indexed: boolean;
}

export interface MapTable {
  name: string;
  file: string;
  line: number;
  primaryKey: string[] | null;
  /** True when db/primary-keys reported the table in this run. */
  missingPrimaryKey: boolean;
  columns: Array<{ name: string; type: string }>;
  foreignKeys: MapForeignKey[];
  findings: number;
  /** The findings counted in `findings`, where they stand. */
  reported: MapFinding[];
}

export interface MapSchema {
  root: string;
  dialect: string;
  tables: MapTable[];
  findings: number;
  /** The findings counted in `findings`, where they stand. */
  reported: MapFinding[];
}

export interface ArchitectureMap {
  services: MapService[];
  schemas: MapSchema[];
  /** Tables that more than one schema (service database) creates or changes. */
  sharedTables: Array<{ table: string; schemas: string[] }>;
  /** Requests one of the repository's services makes to another, by caller and target (see calls.ts). */
  calls: MapCall[];
  /** Outbound requests not drawn: their target or their caller is not known to be one service of the repository. */
  callsLeftOut: number;
}

/** What the code says about outbound requests (the routes model's facts). */
export interface MapTraffic {
  outboundCalls: readonly OutboundCall[];
  composeServices: readonly ComposeService[];
}

const VERSION_SEGMENT = /^v\d+(?:[.-]\d+)*$/i;

export interface MapOptions {
  /**
   * Keep only what these files touch (a pull request's changed files): the services one of whose
   * routes or entry points lies in them, the tables they create or change, and the tables those
   * reference or are referenced by (so a new foreign key shows both ends). Undefined: everything.
   */
  focus?: (file: string) => boolean;
}

export function buildMap(
  http: HttpModel,
  schemas: readonly Schema[],
  findings: readonly Finding[],
  locator: Locator,
  packageDirs: readonly string[],
  options: MapOptions = {},
  traffic: MapTraffic = { outboundCalls: [], composeServices: [] },
): ArchitectureMap {
  const map = buildWholeMap(http, schemas, findings, locator, packageDirs, traffic);
  return options.focus ? focusMap(map, http, options.focus) : map;
}

function buildWholeMap(
  http: HttpModel,
  schemas: readonly Schema[],
  findings: readonly Finding[],
  locator: Locator,
  packageDirs: readonly string[],
  traffic: MapTraffic,
): ArchitectureMap {
  const at = (origin: Origin) => ({ file: origin.file, line: locator.place(origin).region.line });
  const findingsAt = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.file}:${finding.line}`;
    findingsAt.set(key, [...(findingsAt.get(key) ?? []), finding]);
  }
  const reported = (ruleId: string, place: { file: string; line: number }) =>
    (findingsAt.get(`${place.file}:${place.line}`) ?? []).some((f) => f.ruleId === ruleId);

  const mapSchemas: MapSchema[] = schemas.map((schema) => {
    const files = new Set(schema.files.map((file) => file.path));
    const tables = schema.tables.map((table): MapTable => {
      const place = at(table.origin);
      return {
        name: tableName(table.name),
        ...place,
        primaryKey: table.primaryKey ? [...table.primaryKey.columns] : null,
        missingPrimaryKey: reported('db/primary-keys', place),
        columns: table.columns.map((column) => ({ name: column.name, type: column.type.name })),
        foreignKeys: table.foreignKeys.map((fk) => {
          const fkPlace = at(fk.origin);
          return {
            columns: [...fk.columns],
            references: { table: tableName(fk.references.table), columns: [...fk.references.columns] },
            ...fkPlace,
            indexed: !reported('db/indexed-foreign-keys', fkPlace),
          };
        }),
        findings: 0,
        reported: [],
      };
    });
    // A finding on a table's declaration, one of its columns' lines or a foreign key counts on the table.
    for (const finding of findings) {
      const table = tables.find(
        (t) =>
          t.file === finding.file &&
          (t.line === finding.line || t.foreignKeys.some((fk) => fk.line === finding.line && fk.file === finding.file)),
      );
      if (table) {
        table.findings++;
        table.reported.push(mapFinding(finding));
      }
    }
    const inSchema = findings
      .filter((finding) => files.has(finding.file) || tables.some((t) => t.file === finding.file))
      .map(mapFinding);
    return { root: schema.root, dialect: schema.dialect, tables, findings: inSchema.length, reported: inSchema };
  });

  const services = http.services.map((service): MapService => {
    const endpoints = http.endpoints.filter((endpoint) => endpoint.serviceId === service.id);
    const roles: Record<string, number> = {};
    const prefixes: Record<string, number> = {};
    let versioned = 0;
    const counted = new Set<Finding>();
    const routes: MapRoute[] = [];
    for (const endpoint of endpoints) {
      roles[endpoint.role] = (roles[endpoint.role] ?? 0) + 1;
      const segments = endpoint.path.split('/').filter(Boolean);
      const prefix = `/${segments.slice(0, segments[0] === 'api' || VERSION_SEGMENT.test(segments[0] ?? '') ? 2 : 1).join('/')}`;
      prefixes[prefix] = (prefixes[prefix] ?? 0) + 1;
      if (endpoint.role === 'resource' && segments.some((segment) => VERSION_SEGMENT.test(segment))) versioned++;
      const endpointPlace = at(endpoint.origin);
      routes.push({ method: endpoint.method, path: endpoint.path, role: endpoint.role, ...endpointPlace });
      for (const finding of findingsAt.get(`${endpointPlace.file}:${endpointPlace.line}`) ?? []) counted.add(finding);
    }
    const place = at(service.origin);
    for (const finding of findingsAt.get(`${place.file}:${place.line}`) ?? []) counted.add(finding);
    const home = packageDirOf(place.file, packageDirs);
    const databases =
      service.source !== 'openapi'
        ? mapSchemas.filter((schema) => home !== undefined && isInside(schema.root, home)).map((schema) => schema.root)
        : [];
    return {
      id: service.id,
      name: service.name,
      ...(service.framework ? { framework: service.framework } : {}),
      source: service.source,
      deployable: service.deployable,
      ...place,
      endpoints: endpoints.length,
      roles,
      versioned,
      prefixes,
      databases,
      findings: counted.size,
      reported: [...counted].map(mapFinding),
      routes,
    };
  });

  const owners = new Map<string, Set<string>>();
  for (const schema of schemas) {
    for (const event of schema.events) {
      const name = eventTable(event);
      if (!name) continue;
      owners.set(name, (owners.get(name) ?? new Set()).add(schema.root));
    }
  }
  const sharedTables = [...owners]
    .filter(([, roots]) => roots.size > 1)
    .map(([table, roots]) => ({ table, schemas: [...roots].sort() }))
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  const { calls, leftOut } = resolveCalls(
    services.map((service) => ({
      id: service.id,
      code: service.source !== 'openapi',
      home: service.source !== 'openapi' ? packageDirOf(service.file, packageDirs) : undefined,
    })),
    traffic.outboundCalls,
    traffic.composeServices,
    (file) => packageDirOf(file, packageDirs),
    (call) => locator.place(call.origin).region.line,
  );
  return { services, schemas: mapSchemas, sharedTables, calls, callsLeftOut: leftOut };
}

/** The parts of a whole map that `touched` files reach (see MapOptions.focus). */
function focusMap(map: ArchitectureMap, http: HttpModel, touched: (file: string) => boolean): ArchitectureMap {
  const routeFiles = new Map<string, Set<string>>();
  for (const endpoint of http.endpoints)
    routeFiles.set(endpoint.serviceId, (routeFiles.get(endpoint.serviceId) ?? new Set()).add(endpoint.origin.file));
  const schemaList = map.schemas.flatMap((schema) => {
    const changed = new Set(
      schema.tables.filter((t) => touched(t.file) || t.foreignKeys.some((fk) => touched(fk.file))).map((t) => t.name),
    );
    if (changed.size === 0) return [];
    const neighbours = new Set(changed);
    for (const table of schema.tables) {
      for (const fk of table.foreignKeys) {
        if (changed.has(table.name)) neighbours.add(fk.references.table);
        if (changed.has(fk.references.table)) neighbours.add(table.name);
      }
    }
    const tables = schema.tables.filter((t) => neighbours.has(t.name));
    const reported = tables.flatMap((t) => t.reported);
    return [{ ...schema, tables, findings: reported.length, reported }];
  });
  const kept = new Set(schemaList.map((schema) => schema.root));
  const services = map.services
    .filter((service) => touched(service.file) || [...(routeFiles.get(service.id) ?? [])].some(touched))
    .map((service) => ({ ...service, databases: service.databases.filter((root) => kept.has(root)) }));
  const tables = new Set(schemaList.flatMap((schema) => schema.tables.map((t) => t.name)));
  // A call is shown when the change touches one of its requests or both of its ends are shown.
  const shown = new Set(services.map((service) => service.id));
  const calls = map.calls.filter(
    (call) => call.sites.some((site) => touched(site.file)) || (shown.has(call.from) && shown.has(call.to)),
  );
  return {
    services,
    schemas: schemaList,
    sharedTables: map.sharedTables.filter((shared) => tables.has(shared.table)),
    calls,
    callsLeftOut: map.callsLeftOut,
  };
}

function mapFinding(finding: Finding): MapFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.file,
    line: finding.line,
  };
}

function tableName(name: TableName): string {
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}

/** The table a schema event creates or changes, when it names one. */
function eventTable(event: unknown): string | undefined {
  const table = (event as { table?: TableName }).table;
  return table && typeof table.name === 'string' ? tableName(table) : undefined;
}

/** The deepest package folder ('' for the root) that holds `file`. */
function packageDirOf(file: string, packageDirs: readonly string[]): string | undefined {
  return packageDirs.filter((dir) => isInside(file, dir)).sort((a, b) => b.length - a.length)[0];
}

function isInside(path: string, dir: string): boolean {
  if (dir === '' || dir === '.') return !path.startsWith('..');
  const rel = posix.relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel));
}
