/**
 * The `openapi` input: every OpenAPI/Swagger description among the YAML/JSON files, read with
 * its `$ref`d files, as an HttpModel (one Service per description, one Endpoint per operation)
 * with exact origins, plus what each description is made of.
 *
 * Roots are files with a top-level `openapi` or `swagger` key; a file reached only through `$ref`
 * is read as part of its root and never linted on its own. Other YAML/JSON (package.json,
 * compose files, tsconfig) cost a regular-expression test each and are never parsed here.
 */
import { relative, sep } from 'node:path';
import { compileFiles } from '../../config/globs.js';
import { isArchivedPath, isReferenceCopyPath } from '../../model/example-paths.js';
import { judgingRoots, pathBelowRoot } from '../../model/test-paths.js';
import { snapshotCopies } from '../../model/snapshot-copies.js';
import type { OpenApiModel } from '../../model/openapi.js';
import type { InputEnv } from '../env.js';
import { describeService } from './endpoints.js';
import { DescriptionFiles, isObject, type JsonObject, type Node } from './refs.js';
import { isPetstoreSample } from './samples.js';
import { unreferencedDescriptions } from './references.js';
import { reportSkippedDescriptions } from './skipped.js';
import { validateDescription } from './validate.js';

export type { OpenApiDescription, OpenApiModel } from '../../model/openapi.js';

/** A top-level `openapi:` / `swagger:` key in block YAML, or a quoted one anywhere (JSON, flow YAML); confirmed after parsing. */
const YAML_ROOT_KEY = /^["']?(?:openapi|swagger)["']?[ \t]*:/m;
const QUOTED_ROOT_KEY = /["'](?:openapi|swagger)["']\s*:/;

export async function buildOpenApiModel(env: InputEnv): Promise<OpenApiModel> {
  const files = new DescriptionFiles(env);
  const contracts = env.config.config.openapi?.services;
  const isServiceContract = contracts && contracts.length > 0 ? compileFiles(contracts) : () => false;
  const model: OpenApiModel = { http: { services: [], endpoints: [] }, descriptions: [] };
  reportSkippedDescriptions(env, (head) => YAML_ROOT_KEY.test(head) || QUOTED_ROOT_KEY.test(head));
  const inCopy = snapshotCopies(env.fileSet);
  for (const candidate of env.fileSet.files) {
    if (candidate.kind !== 'openapi-candidate') continue;
    // An archived description (`docs/old/public_api.yml`) records an API as it was, an agent skill's reference copy
    // or a feature plan's contract (`skills/x/references/`, `specs/001-x/contracts/`) is not served, nor is the copy
    // in a tutorial's snapshot of the app (`book/3-end/`, model/snapshot-copies.ts): no rule judges them.
    const below = pathBelowRoot(candidate, judgingRoots(env.fileSet));
    if (isArchivedPath(below) || isReferenceCopyPath(below) || inCopy(below)) continue;
    const text = env.text.get(candidate.path);
    if (!text || !(YAML_ROOT_KEY.test(text.content) || QUOTED_ROOT_KEY.test(text.content))) continue;
    const root = files.document(candidate.path);
    if (!root || !isObject(root.value)) continue;
    const version = versionOf(root.value);
    if (version === undefined) continue;
    // The Petstore sample under another title (renamed paths, `findPetsByStatus` still inside): not a contract.
    if (isPetstoreSample(root.value)) {
      env.log(`openapi: ${candidate.path} is the Swagger Petstore sample (its operations and Pet schema): not judged`);
      continue;
    }
    const swagger2 = 'swagger' in root.value;
    const label = swagger2 ? `Swagger ${version}` : `OpenAPI ${version}`;
    const problemsBefore = files.problemCount;
    const deployable = isServiceContract(relative(env.config.baseDir, candidate.absPath).split(sep).join('/'));
    const described = describeService(files, root as Node & { value: JsonObject }, swagger2, deployable);
    await validateDescription(env, files, root, label, files.problemCount > problemsBefore);
    model.http.services.push(described.service);
    model.http.endpoints.push(...described.endpoints);
    model.descriptions.push({
      path: candidate.path,
      version,
      title: described.service.name,
      serviceId: described.service.id,
      endpointCount: described.endpoints.length,
    });
    env.log(`openapi: ${candidate.path} (${label}): ${described.endpoints.length} operations`);
  }
  const unreferenced = unreferencedDescriptions(
    model.descriptions.map((description) => description.path),
    env.text.each(),
  );
  for (const description of model.descriptions) {
    if (!unreferenced.has(description.path)) continue;
    const service = model.http.services.find((s) => s.id === description.serviceId);
    if (service) service.unreferenced = true;
    env.log(`openapi: ${description.path} is named by no other file, while another description is: left aside`);
  }
  return model;
}

function versionOf(root: JsonObject): string | undefined {
  const value = 'openapi' in root ? root.openapi : 'swagger' in root ? root.swagger : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
