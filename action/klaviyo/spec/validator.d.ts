/** One problem with a request body, in Klaviyo's own error vocabulary (a JSON pointer into the body). */
export interface BodyProblem {
    pointer: string;
    detail: string;
}
export type BodyValidation = {
    ok: true;
} | {
    ok: false;
    problems: BodyProblem[];
};
/**
 * Validates JSON:API bodies against a component schema of the vendored spec (for example `FlowCreateQuery`).
 * Converts and compiles each schema once, on first use, with only the components it reaches: the spec has
 * 1,290 of them and registering them all up front cost about 60 MB of memory for bodies that use a few hundred.
 */
export declare class KlaviyoSchemaValidator {
    private readonly ajv;
    private readonly compiled;
    private readonly registered;
    constructor();
    hasSchema(name: string): boolean;
    validate(schemaName: string, body: unknown): BodyValidation;
    /** Adds the schema and everything it references to ajv (ajv resolves `$ref`s when it compiles). */
    private register;
    private compile;
}
/** A process-wide validator: compiling the spec's definitions is the expensive part, so do it once. */
export declare function klaviyoSchemaValidator(): KlaviyoSchemaValidator;
