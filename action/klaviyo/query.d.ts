/**
 * Query-string builders for Klaviyo's JSON:API conventions: `filter`, sparse fieldsets (`fields[type]`),
 * `additional-fields[type]`, `include`, `sort` and cursor pages.
 */
/** A filter expression in Klaviyo's syntax, e.g. `equals(name,"Welcome")`. Build it with `filter`. */
export type KlaviyoFilter = string & {
    readonly __klaviyoFilter?: never;
};
export type FilterScalar = string | number | boolean | Date | null;
/** Builders for Klaviyo filter expressions; strings are quoted, datetimes are not, lists are bracketed. */
export declare const filter: {
    equals: (field: string, value: FilterScalar) => KlaviyoFilter;
    lessThan: (field: string, value: FilterScalar) => KlaviyoFilter;
    lessOrEqual: (field: string, value: FilterScalar) => KlaviyoFilter;
    greaterThan: (field: string, value: FilterScalar) => KlaviyoFilter;
    greaterOrEqual: (field: string, value: FilterScalar) => KlaviyoFilter;
    contains: (field: string, value: FilterScalar) => KlaviyoFilter;
    startsWith: (field: string, value: FilterScalar) => KlaviyoFilter;
    endsWith: (field: string, value: FilterScalar) => KlaviyoFilter;
    any: (field: string, values: readonly FilterScalar[]) => KlaviyoFilter;
    containsAny: (field: string, values: readonly FilterScalar[]) => KlaviyoFilter;
    containsAll: (field: string, values: readonly FilterScalar[]) => KlaviyoFilter;
    has: (field: string) => KlaviyoFilter;
    and: (...parts: KlaviyoFilter[]) => KlaviyoFilter;
    or: (...parts: KlaviyoFilter[]) => KlaviyoFilter;
    not: (part: KlaviyoFilter) => KlaviyoFilter;
    /** Several expressions side by side: Klaviyo ANDs a comma-separated list. */
    all: (...parts: KlaviyoFilter[]) => KlaviyoFilter;
};
/** The query options shared by Klaviyo's read endpoints. */
export interface QueryOptions {
    filter?: KlaviyoFilter | readonly KlaviyoFilter[];
    /** Sparse fieldsets: `{ flow: ['name', 'status'] }` becomes `fields[flow]=name,status`. */
    fields?: Readonly<Record<string, readonly string[]>>;
    /** `{ flow: ['definition'] }` becomes `additional-fields[flow]=definition`. */
    additionalFields?: Readonly<Record<string, readonly string[]>>;
    include?: readonly string[];
    sort?: string;
    pageSize?: number;
    pageCursor?: string;
    /** Anything else, sent verbatim. */
    params?: Readonly<Record<string, string>>;
}
export declare function buildQuery(options?: QueryOptions): URLSearchParams;
/** Merges two option sets; the second wins, except filters which are ANDed. */
export declare function mergeQuery(base: QueryOptions, extra: QueryOptions | undefined): QueryOptions;
