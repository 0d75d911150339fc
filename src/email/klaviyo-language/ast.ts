/**
 * The syntax tree of a Klaviyo template. Every node keeps the offset in the source where it starts, so the
 * renderer's warnings can point back at the file.
 */

/** A variable (`event.Items.0.ProductName`) or a literal. */
export type Operand =
  | { kind: 'variable'; path: string[]; text: string; start: number }
  | { kind: 'literal'; value: string | number | boolean | null; start: number };

export interface FilterCall {
  name: string;
  arg?: Operand;
  start: number;
}

/** `operand|filter:arg|filter`. */
export interface FilterExpression {
  operand: Operand;
  filters: FilterCall[];
  start: number;
  /** The expression as written, for messages. */
  text: string;
}

export type ComparisonOperator = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export type Condition =
  | { kind: 'or' | 'and'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: ComparisonOperator; left: FilterExpression; right: FilterExpression }
  | { kind: 'test'; expr: FilterExpression };

/** Klaviyo's own tags that print something: links, codes, the year. */
export type KlaviyoTagName =
  | 'unsubscribe'
  | 'unsubscribe_link'
  | 'unsubscribe_url'
  | 'manage_preferences'
  | 'manage_preferences_link'
  | 'web_view'
  | 'web_view_link'
  | 'current_year'
  | 'coupon_code'
  | 'currency_format'
  | 'now'
  | 'firstof'
  | 'cycle';

export type Node =
  | { kind: 'text'; value: string; start: number }
  | { kind: 'output'; expr: FilterExpression; start: number }
  | {
      kind: 'if';
      branches: Array<{ condition: Condition; body: Node[]; start: number }>;
      otherwise?: Node[];
      start: number;
    }
  | {
      kind: 'for';
      targets: string[];
      iterable: FilterExpression;
      reversed: boolean;
      body: Node[];
      empty?: Node[];
      start: number;
    }
  | { kind: 'tag'; name: KlaviyoTagName; args: FilterExpression[]; start: number }
  | {
      kind: 'catalog';
      id: FilterExpression;
      options: Record<string, FilterExpression>;
      body: Node[];
      start: number;
    };

export interface KlaviyoTemplate {
  nodes: Node[];
  source: string;
  file: string;
  /** The source position of an offset in `source`. */
  locate(offset: number): { file: string; line: number; col: number };
}
