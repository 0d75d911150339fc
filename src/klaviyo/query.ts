/**
 * Query-string builders for Klaviyo's JSON:API conventions: `filter`, sparse fieldsets (`fields[type]`),
 * `additional-fields[type]`, `include`, `sort` and cursor pages.
 */

/** A filter expression in Klaviyo's syntax, e.g. `equals(name,"Welcome")`. Build it with `filter`. */
export type KlaviyoFilter = string & { readonly __klaviyoFilter?: never };

export type FilterScalar = string | number | boolean | Date | null;

function literal(value: FilterScalar): string {
  if (value === null) return 'null';
  // Datetimes are written bare: Klaviyo rejects a quoted datetime as an invalid filter.
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new RangeError('Filter numbers must be finite');
  return String(value);
}

function list(values: readonly FilterScalar[]): string {
  if (values.length === 0) throw new RangeError('A filter list needs at least one value');
  return `[${values.map(literal).join(',')}]`;
}

const op =
  (name: string) =>
  (field: string, value: FilterScalar): KlaviyoFilter =>
    `${name}(${field},${literal(value)})`;

const listOp =
  (name: string) =>
  (field: string, values: readonly FilterScalar[]): KlaviyoFilter =>
    `${name}(${field},${list(values)})`;

/** Builders for Klaviyo filter expressions; strings are quoted, datetimes are not, lists are bracketed. */
export const filter = {
  equals: op('equals'),
  lessThan: op('less-than'),
  lessOrEqual: op('less-or-equal'),
  greaterThan: op('greater-than'),
  greaterOrEqual: op('greater-or-equal'),
  contains: op('contains'),
  startsWith: op('starts-with'),
  endsWith: op('ends-with'),
  any: listOp('any'),
  containsAny: listOp('contains-any'),
  containsAll: listOp('contains-all'),
  has: (field: string): KlaviyoFilter => `has(${field})`,
  and: (...parts: KlaviyoFilter[]): KlaviyoFilter => `and(${parts.join(',')})`,
  or: (...parts: KlaviyoFilter[]): KlaviyoFilter => `or(${parts.join(',')})`,
  not: (part: KlaviyoFilter): KlaviyoFilter => `not(${part})`,
  /** Several expressions side by side: Klaviyo ANDs a comma-separated list. */
  all: (...parts: KlaviyoFilter[]): KlaviyoFilter => parts.join(','),
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

export function buildQuery(options: QueryOptions = {}): URLSearchParams {
  const query = new URLSearchParams();
  const filters = typeof options.filter === 'string' ? [options.filter] : (options.filter ?? []);
  if (filters.length > 0) query.set('filter', filters.join(','));
  for (const [type, names] of Object.entries(options.fields ?? {}))
    query.set(`fields[${type}]`, names.join(','));
  for (const [type, names] of Object.entries(options.additionalFields ?? {})) {
    query.set(`additional-fields[${type}]`, names.join(','));
  }
  if (options.include && options.include.length > 0) query.set('include', options.include.join(','));
  if (options.sort) query.set('sort', options.sort);
  if (options.pageSize !== undefined) query.set('page[size]', String(options.pageSize));
  if (options.pageCursor !== undefined) query.set('page[cursor]', options.pageCursor);
  for (const [name, value] of Object.entries(options.params ?? {})) query.set(name, value);
  return query;
}

/** Merges two option sets; the second wins, except filters which are ANDed. */
export function mergeQuery(base: QueryOptions, extra: QueryOptions | undefined): QueryOptions {
  if (!extra) return base;
  const asList = (f: QueryOptions['filter']): KlaviyoFilter[] =>
    typeof f === 'string' ? [f] : [...(f ?? [])];
  const filters = [...asList(base.filter), ...asList(extra.filter)];
  return {
    ...base,
    ...extra,
    ...(filters.length > 0 ? { filter: filters } : {}),
    fields: { ...base.fields, ...extra.fields },
    additionalFields: { ...base.additionalFields, ...extra.additionalFields },
    params: { ...base.params, ...extra.params },
  };
}
