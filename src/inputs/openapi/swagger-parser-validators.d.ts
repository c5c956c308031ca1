// swagger-parser's two validation steps and their modules, which ship without type declarations
// (src/inputs/openapi/schemas.ts runs them itself, around the precompiled schema validators).
declare module '@apidevtools/swagger-parser/lib/validators/schema.js' {
  /** Throws a SyntaxError with Ajv's errors as `details` when `api` does not match its version's JSON Schema. */
  const validateSchema: (api: unknown) => void;
  export default validateSchema;
}
declare module '@apidevtools/swagger-parser/lib/validators/spec.js' {
  /** Throws a SyntaxError ("Validation failed. …") on the first Swagger 2.0 spec problem. */
  const validateSpec: (api: unknown) => void;
  export default validateSpec;
}
