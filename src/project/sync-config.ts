/**
 * brands/<brand>/sync.yaml as loaded (shape of schemas/sync.schema.json), and the checks a schema cannot
 * make: source names usable in event ids, consent lists that exist, a JSONL mapping complete for its record.
 */
import { suggestion, type Diagnostic } from './diagnostics.js';
import { diagnosticAt } from './locator.js';
import { KEY_PATTERN, type BrandProject, type Window } from './model.js';

export const SYNC_CONFIG_FILE = 'sync.yaml';

export interface SyncConfig {
  live_window: Window;
  consent: { email_list?: string; sms_list?: string; accept_undated_consent?: boolean };
  sources: Record<string, SyncSourceConfig>;
}

export type SyncSourceConfig =
  | { type: 'shopify-orders-csv' | 'shopify-customers-csv'; file: string }
  | { type: 'jsonl'; file: string; record: 'order' | 'customer'; provenance?: string; mapping: JsonlMapping }
  | {
      type: 'tiktok-shop';
      app_key_env: string;
      app_secret_env: string;
      access_token_env: string;
      shop_cipher_env: string;
      days_back?: number;
      page_size?: number;
    };

type Paths<K extends string> = Partial<Record<K, string>>;

export type JsonlMapping = Paths<
  | 'id'
  | 'number'
  | 'email'
  | 'phone'
  | 'external_id'
  | 'first_name'
  | 'last_name'
  | 'created_at'
  | 'cancelled_at'
  | 'fulfilled_at'
  | 'currency'
  | 'total'
  | 'subtotal'
  | 'shipping'
  | 'taxes'
  | 'discount_codes'
  | 'discount_amount'
  | 'tags'
  | 'lines'
  | 'refunds'
  | 'email_consent'
  | 'email_consent_at'
  | 'sms_consent'
  | 'sms_consent_at'
> & {
  line?: Paths<'id' | 'sku' | 'product_id' | 'name' | 'quantity' | 'price' | 'vendor' | 'categories'>;
  refund?: Paths<'id' | 'amount' | 'at'>;
};

/** Mapping keys an order record cannot do without. */
export const ORDER_MAPPING_REQUIRED = ['id', 'created_at', 'currency', 'total', 'lines'] as const;
export const LINE_MAPPING_REQUIRED = ['name', 'quantity', 'price'] as const;

export function checkSyncConfig(brand: BrandProject): Diagnostic[] {
  const sync = brand.sync;
  if (!sync?.valid) return [];
  const out: Diagnostic[] = [];
  for (const channel of ['email_list', 'sms_list'] as const) {
    const list = sync.value.consent[channel];
    if (list !== undefined && !brand.lists.has(list))
      out.push(
        diagnosticAt(
          sync.at(['consent', channel]),
          'unknown-list',
          'error',
          `unknown list '${list}'`,
          suggestion(list, brand.lists.keys()) ?? `add lists/${list}.yaml`,
        ),
      );
  }
  for (const [name, source] of Object.entries(sync.value.sources)) {
    if (!KEY_PATTERN.test(name))
      out.push(
        diagnosticAt(
          sync.at(['sources', name], { key: true }),
          'invalid-key-name',
          'error',
          `'${name}' is not a valid source name: use lowercase letters, digits and dashes`,
          'it becomes part of every event id, so pick it once',
        ),
      );
    if (source.type !== 'jsonl') continue;
    const missing =
      source.record === 'order'
        ? [
            ...ORDER_MAPPING_REQUIRED.filter((k) => source.mapping[k] === undefined),
            ...LINE_MAPPING_REQUIRED.filter((k) => source.mapping.line?.[k] === undefined).map(
              (k) => `line.${k}`,
            ),
          ]
        : source.mapping.email === undefined && source.mapping.phone === undefined
          ? ['email or phone']
          : [];
    if (missing.length > 0)
      out.push(
        diagnosticAt(
          sync.at(['sources', name, 'mapping']),
          'missing-key',
          'error',
          `the ${source.record} mapping lacks ${missing.join(', ')}`,
          `map each to the path of that value in a record, e.g. ${missing[0]}: ${missing[0]}`,
        ),
      );
  }
  return out;
}
