/**
 * The only module a rule imports. A rule is metadata + a check over the models it requires;
 * it never parses files and never computes line numbers (it reports at model elements).
 */
import type { CodeFile, CodeModel } from './model/code.js';
import type { OpenApiModel } from './model/openapi.js';
import type { HttpModel } from './model/http.js';
import type { FileSet, TextFiles } from './model/files.js';
import type { RoutesModel } from './model/code-http.js';
import type { SchemaModel } from './model/schema.js';
import type { Fix, Located, Origin, Severity } from './model/finding.js';

export type { Fix, Located, Origin, Severity } from './model/finding.js';
export type { FileSet, TextFile, TextFileFacts, TextFiles, DiscoveredFile } from './model/files.js';
export type { ErrorBody, ErrorSite, RoutesModel } from './model/code-http.js';
export type {
  Column,
  ForeignKey,
  Index,
  KeyConstraint,
  KeyUse,
  ReferentialAction,
  RemovedIndex,
  Schema,
  SchemaModel,
  SqlDialect,
  Table,
  TableName,
} from './model/schema.js';
export { formatTableName, isSoftDeleteMarker, sqlIdentifier, sqlTableName } from './model/schema.js';
export { mayReadForKeyUse } from './model/key-usage.js';
export { mayReadForSqlKeyUse } from './model/key-usage-sql.js';
export { tableMentions, type TableMentions } from './model/table-mentions.js';
export { dialectRecord, type DialectRecord } from './model/dialects.js';
export { authAdapterTableOf, libraryStorageOf, migrationToolOf, ormJoinTableOf } from './model/tool-owned-tables.js';
export type { CodeFile, CodeModel, CodeReach, CodeRuntime } from './model/code.js';
export { compilerNodeOrigin, nodeOrigin } from './model/code.js';
export {
  importBindingOf,
  importBindings,
  isShadowed,
  isValueWrapper,
  qualifiedName,
  qualifiedNameOf,
  qualifiedRef,
  requiredBinding,
  unwrapExpression,
  type ImportBinding,
  type QualifiedRef,
  calleeName,
} from './model/qualified-names.js';
export { ModuleExports, type ExportTarget } from './model/module-exports.js';
export type { OpenApiDescription, OpenApiModel } from './model/openapi.js';
export type {
  BodyShape,
  Endpoint,
  HttpMethod,
  HttpModel,
  ListRead,
  Parameter,
  ResponseSummary,
  Service,
} from './model/http.js';
export {
  hasVersionSegment,
  inSignInFlow,
  infrastructureKind,
  isRpcMethodPath,
  isVersionSegment,
  type InfrastructureKind,
} from './model/http-paths.js';
export type { EndpointRole } from './model/http.js';
export { LIST_WRAPPER_PROPERTIES } from './model/http.js';
export { ReportedServices } from './model/service-causes.js';
export { answersHealthStatus, namedProbe, servicesWithApi } from './model/endpoint-roles.js';
export {
  documents,
  isCompared,
  isUnder,
  pairSides,
  pathKey,
  serves,
  mayServeUnplaced,
  sidesOf,
  supersededBy,
  type Pairing,
  type Side,
} from './model/spec-code-matching.js';
export { isTestPath, isTestSuiteText } from './model/test-paths.js';
export { namesOnlyLoopback } from './model/certificates.js';
export { isExamplePath } from './model/example-paths.js';
export { chainAt, chainLabel, type Chain, type Segment } from './model/call-chains.js';
export {
  dataCall,
  fileFacts,
  inMemoryCreate,
  managerWithoutOrm,
  type DataCall,
  type FileFacts,
} from './model/data-calls.js';
export { callsRemoteRepository } from './model/repositories.js';
export { countedLoopBound, writtenBound, writtenNumber } from './model/collection-bounds.js';
export { iteratedSetSource, partsOfHandedObject, type CallersOf } from './model/iterated-sets.js';
export { fixedSetOf, type FixedSetKind } from './model/fixed-sets.js';
export { enclosingFunctionName, inBulkOperation } from './model/bulk-operations.js';
export { mayQuerySynchronously, resultUsedSynchronously } from './model/sync-results.js';
export { valuesWrittenToField } from './model/class-fields.js';
export { isUncalledFunction } from './model/uncalled-functions.js';

/**
 * The models a rule can require, by name. Each input issue adds its model here
 * (openapi → `http`, sql → `schema`, ts → `code`), with a provider in src/inputs/registry.ts.
 */
export interface InputMap {
  /** Every discovered file, classified. */
  files: FileSet;
  /** Decoded text of every text file, with line index. */
  text: TextFiles;
  /** Every TS/JS file parsed (ts-morph, no type checker). */
  code: CodeModel;
  /** Every OpenAPI/Swagger description (with its $ref'd files) as services and endpoints, with exact origins. */
  openapi: OpenApiModel;
  /** Every service and endpoint, from descriptions (and, once merged, from code): what API rules read. */
  http: HttpModel;
  /** SQL migration folders, each folded into its final state (tables, keys, indexes, foreign keys). */
  schema: SchemaModel;
  /** Services, endpoints and error sites declared in TS/JS code (Express, Fastify, NestJS, Hono, Koa, Next.js). */
  routes: RoutesModel;
}

export type InputName = keyof InputMap;

/** A runnable example shown by `archlint explain` and run by the tests (bad must report, good must not). */
export interface RuleExample {
  /** Files of the mini-repo, path → content. The first is the one shown first. */
  files: Record<string, string>;
  /** One line on what the example shows. */
  description?: string;
}

export interface RuleMeta<MessageId extends string = string> {
  /** `<domain>/<name>`, equal to the rule's path under rules/. Stable; never renamed. */
  id: string;
  /** One line, stating the requirement (not the violation). */
  title: string;
  /** Default severity. */
  severity: Severity;
  /** Models the rule reads; only these are built, and only when the rule is enabled. */
  requires: InputName[];
  /**
   * 'file': what the rule reports about a file depends on that file alone (its text or syntax
   * tree, and the config) and on the facts the code model judges over the whole tree for it
   * (CodeFile.reach, which the engine hands every part), never on other files' text. The engine may then run it on parts of the tree
   * separately — in worker threads — and must get the same findings. Such a rule requires only
   * `files`, `text` and `code`. Leave it out when in doubt: the rule then sees the whole tree.
   */
  scope?: 'file';
  tags: string[];
  /** Why it matters, for `explain`, SARIF help and the docs. */
  why: string;
  /** How to fix it. */
  fix: string;
  examples: { bad: RuleExample[]; good: RuleExample[] };
  /** Message templates; `{{name}}` is replaced from the report's data. */
  messages: Record<MessageId, string>;
}

export interface ReportDescriptor<MessageId extends string> {
  /** The element (or origin) the finding is about. */
  at: Located | Origin;
  messageId: MessageId;
  data?: Record<string, string | number>;
  fix?: Fix;
  related?: Array<{ at: Located | Origin; message: string }>;
  /** See RawFinding.fingerprintText: set when the flagged text must not be the key (secrets). */
  fingerprintText?: string;
  /**
   * This finding's default severity, when it differs from the rule's (meta.severity stays the
   * rule's default, shown by `archlint rules`). A severity the user sets for the rule (config
   * `rules`, `overrides`, `--rule`) wins over it.
   */
  severity?: Severity;
}

export type RuleContext<MessageId extends string = string> = Readonly<InputMap> & {
  readonly ruleId: string;
  /** Options from config (`["warning", {…}]`), or {} when none were given. */
  readonly options: Readonly<Record<string, unknown>>;
  report(descriptor: ReportDescriptor<MessageId>): void;
};

export interface Rule<MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  check(ctx: RuleContext<MessageId>): void | Promise<void>;
  /**
   * The code files whose syntax tree `check` may read, judged by their text (a cheap superset; only a
   * hint: a tree not kept is parsed again on demand). The code model keeps those trees when an input
   * that walked many files lets the others go, and keeps the tree of such a file it only checks the
   * syntax of, so that no file is parsed twice for it.
   */
  codeTrees?(file: CodeFile): boolean;
}

/** Identity at run time; gives rule authors type checking of message ids and meta. */
export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}

export function isLocated(value: Located | Origin): value is Located {
  return typeof (value as Located).origin === 'object' && (value as Located).origin !== null;
}
export { addTo } from './util/multimap.js';
