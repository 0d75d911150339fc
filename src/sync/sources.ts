/**
 * From a brand's loaded sync.yaml to what a run needs: each source opened as a typed stream of customers or
 * orders (TikTok Shop as the names of its credential variables), the live window in hours and the consent
 * policy. Paths resolve against the brand folder.
 */
import { join } from 'node:path';
import type { SyncConfig, SyncSourceConfig } from '../project/sync-config.js';
import type { Window } from '../project/model.js';
import type { ConsentPolicy } from './consent-gate.js';
import { readJsonlCustomers, readJsonlOrders } from './jsonl-source.js';
import type { SourceCustomer, SourceItem, SourceOrder } from './model.js';
import { readShopifyCustomers } from './shopify-customers-csv.js';
import { readShopifyOrders } from './shopify-orders-csv.js';

export type SyncSource =
  | { name: string; kind: 'orders'; file: string; read(): AsyncGenerator<SourceItem<SourceOrder>> }
  | { name: string; kind: 'customers'; file: string; read(): AsyncGenerator<SourceItem<SourceCustomer>> }
  | {
      name: string;
      kind: 'tiktok-shop';
      /** Names of the variables; the caller reads them in its config module. */
      credentialEnv: { appKey: string; appSecret: string; accessToken: string; shopCipher: string };
      daysBack: number;
      pageSize: number;
    };

export interface SyncPlanInputs {
  sources: SyncSource[];
  liveWindowHours: number;
  consentPolicy: ConsentPolicy;
  emailList?: string;
  smsList?: string;
}

export interface OpenOptions {
  /** Absolute path of brands/<brand>/ on disk. */
  brandDir: string;
  /** How problems name the brand folder (its display path, e.g. marketing/brands/emberwick). */
  displayBrandDir: string;
}

export function openSyncConfig(config: SyncConfig, options: OpenOptions): SyncPlanInputs {
  const inputs: SyncPlanInputs = {
    sources: Object.entries(config.sources).map(([name, source]) => openSource(name, source, options)),
    liveWindowHours: windowHours(config.live_window),
    consentPolicy: { acceptUndatedConsent: config.consent.accept_undated_consent ?? false },
  };
  if (config.consent.email_list !== undefined) inputs.emailList = config.consent.email_list;
  if (config.consent.sms_list !== undefined) inputs.smsList = config.consent.sms_list;
  return inputs;
}

function openSource(name: string, source: SyncSourceConfig, options: OpenOptions): SyncSource {
  if (source.type === 'tiktok-shop')
    return {
      name,
      kind: 'tiktok-shop',
      credentialEnv: {
        appKey: source.app_key_env,
        appSecret: source.app_secret_env,
        accessToken: source.access_token_env,
        shopCipher: source.shop_cipher_env,
      },
      daysBack: source.days_back ?? 90,
      pageSize: source.page_size ?? 50,
    };
  const file = `${options.displayBrandDir}/${source.file}`;
  const read = { source: name, path: join(options.brandDir, source.file), displayPath: file };
  switch (source.type) {
    case 'shopify-orders-csv':
      return { name, kind: 'orders', file, read: () => readShopifyOrders(read) };
    case 'shopify-customers-csv':
      return { name, kind: 'customers', file, read: () => readShopifyCustomers(read) };
    case 'jsonl': {
      const jsonl = {
        ...read,
        mapping: source.mapping,
        ...(source.provenance !== undefined && { provenance: source.provenance }),
      };
      return source.record === 'order'
        ? { name, kind: 'orders', file, read: () => readJsonlOrders(jsonl) }
        : { name, kind: 'customers', file, read: () => readJsonlCustomers(jsonl) };
    }
  }
}

function windowHours(window: Window): number {
  return window.last * { hour: 1, day: 24, week: 168 }[window.unit];
}

/**
 * The buyer of an order as a customer record, for sources that have no customers export. Orders carry no
 * consent statement of their own, so consent is unknown: the gate never subscribes from an order.
 */
export function customerFromOrder(order: SourceOrder): SourceCustomer {
  const { firstName, lastName, ...identity } = order.customer;
  const customer: SourceCustomer = {
    source: order.source,
    from: order.from,
    identity,
    consent: { email: { state: 'unknown' }, sms: { state: 'unknown' } },
    properties: {},
  };
  if (firstName !== undefined) customer.firstName = firstName;
  if (lastName !== undefined) customer.lastName = lastName;
  return customer;
}
