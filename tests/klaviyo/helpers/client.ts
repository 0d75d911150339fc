import {
  KlaviyoClient,
  type KlaviyoClientEvent,
  type KlaviyoClientOptions,
} from '../../../src/klaviyo/index.js';
import { FakeClock } from './fake-clock.js';
import { fakeFetch, type RecordedCall, type Responder } from './fake-fetch.js';

export const TEST_KEY = 'pk_test_0123456789abcdef';

export interface ScriptedClient {
  client: KlaviyoClient;
  clock: FakeClock;
  calls: RecordedCall[];
  events: KlaviyoClientEvent[];
}

/** A client on virtual time against a scripted server; jitter is fixed at its maximum unless overridden. */
export function scriptedClient(
  responder: Responder,
  options: Partial<KlaviyoClientOptions> & { start?: number } = {},
): ScriptedClient {
  const clock = new FakeClock(options.start);
  const { fetch, calls } = fakeFetch(clock, responder);
  const events: KlaviyoClientEvent[] = [];
  const client = new KlaviyoClient({
    apiKey: TEST_KEY,
    baseUrl: 'https://klaviyo.test',
    fetch,
    clock,
    onEvent: (event) => events.push(event),
    backoff: { random: () => 0.999 },
    ...options,
  });
  return { client, clock, calls, events };
}

export const templateBody = (name: string) =>
  ({
    data: { type: 'template', attributes: { name, editor_type: 'CODE', html: '<p>hi</p>' } },
  }) as const;

export const templateDoc = (id: string, name: string) => ({
  data: {
    type: 'template',
    id,
    attributes: {
      name,
      editor_type: 'CODE',
      html: '<p>hi</p>',
      text: null,
      amp: null,
      created: null,
      updated: null,
    },
    links: { self: `https://klaviyo.test/api/templates/${id}/` },
  },
});
