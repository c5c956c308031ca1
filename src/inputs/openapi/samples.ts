/**
 * The Swagger Petstore sample, left in a repository as the starting point of a description never written: its
 * title and paths may be renamed (`OpenSign API v1`, `GET /documentlist`), but its operations are still the sample's
 * (`findPetsByStatus`, `getPetById`, `placeOrder`…) and its schemas the sample's `Pet`. It describes no API the
 * project serves, so no rule judges it (like an archived description).
 */
import { isObject, type JsonObject } from './refs.js';

/** The operation ids of the Petstore sample (Swagger 2.0 and OpenAPI 3 editions). */
const PETSTORE_OPERATIONS = new Set([
  'addPet',
  'updatePet',
  'findPetsByStatus',
  'findPetsByTags',
  'getPetById',
  'updatePetWithForm',
  'deletePet',
  'uploadFile',
  'getInventory',
  'placeOrder',
  'getOrderById',
  'deleteOrder',
  'createUser',
  'createUsersWithArrayInput',
  'createUsersWithListInput',
  'loginUser',
  'logoutUser',
  'getUserByName',
  'updateUser',
  'deleteUser',
]);
/** Sample operations that name pets: a real API would not keep them under other paths. */
const PET_OPERATION = /Pet/;

/**
 * Whether the description is the Petstore sample: most of its operations (at least three, and at least half) carry
 * the sample's ids, some of them about pets, and it declares the sample's `Pet` schema.
 */
export function isPetstoreSample(root: JsonObject): boolean {
  const ids: string[] = [];
  const paths = root.paths;
  if (!isObject(paths)) return false;
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) {
      if (isObject(operation) && typeof operation.operationId === 'string') ids.push(operation.operationId);
    }
  }
  const sample = ids.filter((id) => PETSTORE_OPERATIONS.has(id));
  if (sample.length < 3 || sample.length * 2 < ids.length || !sample.some((id) => PET_OPERATION.test(id))) return false;
  const components = root.components;
  const schemas = isObject(components) && isObject(components.schemas) ? components.schemas : root.definitions;
  return isObject(schemas) && 'Pet' in schemas;
}
