export { klaviyoOpenApi } from './openapi.js';
export { convertOpenApiSchema, componentClosure, componentSchemaId, KLAVIYO_SCHEMA_ID, } from './json-schema.js';
export { KlaviyoSchemaValidator, klaviyoSchemaValidator } from './validator.js';
export type { BodyProblem, BodyValidation } from './validator.js';
export { klaviyoOperations, matchOperation, pathExists, operationById } from './operations.js';
export type { KlaviyoOperation, RateLimit, HttpMethod, MatchedOperation } from './operations.js';
