export interface OpenApiOperation {
    operationId: string;
    parameters?: Array<{
        name?: string;
        in?: string;
        required?: boolean;
        schema?: unknown;
        $ref?: string;
    }>;
    requestBody?: {
        required?: boolean;
        content?: Record<string, {
            schema?: {
                $ref?: string;
            };
        }>;
    };
    'x-klaviyo-ratelimit'?: {
        burst?: string;
        steady?: string;
        daily?: string;
    };
    'x-klaviyo-scopes'?: string[];
    'x-klaviyo-pre-release'?: string;
}
export interface OpenApiDocument {
    info: {
        version: string;
    };
    paths: Record<string, Record<string, OpenApiOperation | unknown>>;
    components: {
        schemas: Record<string, unknown>;
    };
}
export declare const klaviyoOpenApi: OpenApiDocument;
