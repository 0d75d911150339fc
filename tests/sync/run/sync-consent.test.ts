/**
 * Every rule of the consent gate as a team meets it: `apply` creates the consent lists, `sync` reads a JSONL
 * signups export, and Klaviyo's side (each profile's subscriptions and the lists' members in the sandbox) is
 * what is checked. Klaviyo's own opt-outs are set up through its API at chosen times on the sandbox's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KlaviyoClient } from '../../../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { JsonObject } from '../../../src/sandbox/json.js';
import {
  ACCOUNTS,
  applyBrand,
  contextFor,
  envFor,
  exampleProject,
  KEYS,
  syncJson,
  type ExampleProject,
} from './sync-helpers.js';

const SOURCE_CONSENT = '2025-06-01T10:00:00Z';
const OPT_OUT_BEFORE = Date.parse('2024-03-01T09:00:00Z');
const OPT_OUT_AFTER = Date.parse('2026-01-15T09:00:00Z');
const RELAY = 'b7x2k9@scs1.tiktokw.us';

function syncYaml(acceptUndated: boolean): string {
  return `live_window: { last: 3, unit: day }
consent:
  email_list: newsletter
  sms_list: sms-subscribers
  accept_undated_consent: ${acceptUndated}
sources:
  signups:
    type: jsonl
    file: exports/signups.jsonl
    record: customer
    provenance: storefront signup form
    mapping:
      { email: email, phone: phone, email_consent: email_yes, email_consent_at: email_at, sms_consent: sms_yes, sms_consent_at: sms_at }
  old-crm:
    type: jsonl
    file: exports/old-crm.jsonl
    record: customer
    mapping: { email: email, email_consent: email_yes, email_consent_at: email_at }
`;
}

const at = SOURCE_CONSENT;
const SIGNUPS = [
  { email: 'dated@ex.example', email_yes: true, email_at: at },
  { email: 'silent@ex.example' },
  { email: 'declined@ex.example', email_yes: false, email_at: at },
  { email: 'undated@ex.example', email_yes: true },
  { email: 'unsub-newer@ex.example', email_yes: true, email_at: at },
  { email: 'unsub-older@ex.example', email_yes: true, email_at: at },
  { email: 'supp-newer@ex.example', email_yes: true, email_at: at },
  { email: 'supp-older@ex.example', email_yes: true, email_at: at },
  { email: 'sms-ok@ex.example', phone: '+15005550006', sms_yes: true, sms_at: at },
  { email: 'sms-national@ex.example', phone: '(828) 555-0117', sms_yes: true, sms_at: at },
  { email: 'sms-silent@ex.example', phone: '+15005550007', email_yes: true, email_at: at },
  { email: RELAY, email_yes: true, email_at: at },
];
const OLD_CRM = [{ email: 'no-provenance@ex.example', email_yes: true, email_at: at }];

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('sync subscribes only through the consent gate, as Klaviyo then holds it', () => {
  let project: ExampleProject;
  let sandbox: RunningSandbox;
  let pinned: number | undefined;
  let client: KlaviyoClient;
  const env = () => envFor(sandbox);

  beforeAll(async () => {
    project = exampleProject();
    project.write('marketing/brands/emberwick/sync.yaml', syncYaml(true));
    project.write('marketing/brands/emberwick/exports/signups.jsonl', jsonl(SIGNUPS));
    project.write('marketing/brands/emberwick/exports/old-crm.jsonl', jsonl(OLD_CRM));
    sandbox = await startSandbox({
      port: 0,
      accounts: { [KEYS.emberwick]: ACCOUNTS.emberwick, [KEYS.trailhead]: ACCOUNTS.trailhead },
      enforceRateLimits: false,
      clock: { now: () => pinned ?? Date.now() },
    });
    client = new KlaviyoClient({ apiKey: KEYS.emberwick, baseUrl: sandbox.url });
    // The lists exist in Klaviyo because the team applied its marketing files, as it would before a sync.
    await applyBrand(sandbox, project.cwd, 'emberwick');
    await optOut('unsub-newer@ex.example', 'unsubscribe', OPT_OUT_AFTER);
    await optOut('unsub-older@ex.example', 'unsubscribe', OPT_OUT_BEFORE);
    await optOut('supp-newer@ex.example', 'suppress', OPT_OUT_AFTER);
    await optOut('supp-older@ex.example', 'suppress', OPT_OUT_BEFORE);
  });
  afterAll(async () => {
    await sandbox.close();
    project.cleanup();
  });

  /** The person opts out in Klaviyo itself at `when`. */
  async function optOut(email: string, how: 'unsubscribe' | 'suppress', when: number): Promise<void> {
    pinned = when;
    try {
      const profiles = { data: [{ type: 'profile' as const, attributes: { email } }] };
      if (how === 'unsubscribe')
        await client.bulkJobs.unsubscribe({
          data: {
            type: 'profile-subscription-bulk-delete-job',
            attributes: {
              profiles: {
                data: [
                  {
                    type: 'profile',
                    attributes: {
                      email,
                      subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } },
                    },
                  },
                ],
              },
            },
          },
        });
      else
        await client.bulkJobs.suppress({
          data: { type: 'profile-suppression-bulk-create-job', attributes: { profiles } },
        });
    } finally {
      pinned = undefined;
    }
  }

  function profileBy(field: 'email' | 'phone_number', value: string): JsonObject | undefined {
    const state = sandbox.account(KEYS.emberwick).state;
    return Object.values(state.profiles).find((p) => p.attributes[field] === value)?.attributes;
  }

  function marketing(email: string, channel: 'email' | 'sms' = 'email'): JsonObject {
    const profile = profileBy('email', email);
    expect(profile, `${email} is a profile in Klaviyo`).toBeDefined();
    const subscriptions = (profile!.subscriptions ?? {}) as Record<string, { marketing?: JsonObject }>;
    return subscriptions[channel]?.marketing ?? {};
  }

  function listMembers(name: string): string[] {
    const state = sandbox.account(KEYS.emberwick).state;
    const list = Object.values(state.lists).find((l) => l.name.startsWith(name));
    expect(list, `list ${name}`).toBeDefined();
    return list!.profileIds.map((id) => String(state.profiles[id]?.attributes.email));
  }

  it('subscribes each consent the rules allow and nothing else; Klaviyo holds exactly that', async () => {
    const { exitCode, json } = await syncJson(contextFor(project.cwd, env()), ['--brand', 'emberwick']);
    expect(exitCode).toBe(0);
    const stats = json.brands[0]!.stats;

    // Explicit, dated, with provenance: a historical import keeping the source's date.
    expect(marketing('dated@ex.example')).toMatchObject({ consent: 'SUBSCRIBED' });
    expect(Date.parse(String(marketing('dated@ex.example').consent_timestamp))).toBe(Date.parse(at));
    // No consent, a no, or consent from a source that does not say where it was given: never.
    expect(marketing('silent@ex.example').consent).not.toBe('SUBSCRIBED');
    expect(marketing('declined@ex.example').consent).not.toBe('SUBSCRIBED');
    expect(marketing('no-provenance@ex.example').consent).not.toBe('SUBSCRIBED');
    // Undated (the policy accepts it): an ordinary subscribe, dated now by Klaviyo, never as history.
    expect(marketing('undated@ex.example').consent).toBe('SUBSCRIBED');
    expect(Date.parse(String(marketing('undated@ex.example').consent_timestamp))).toBeGreaterThan(
      Date.parse('2026-01-01T00:00:00Z'),
    );
    // An opt-out in Klaviyo newer than the source's consent wins; an older one yields to the newer consent.
    expect(marketing('unsub-newer@ex.example').consent).toBe('UNSUBSCRIBED');
    expect(marketing('unsub-older@ex.example').consent).toBe('SUBSCRIBED');
    expect(marketing('supp-newer@ex.example').consent).not.toBe('SUBSCRIBED');
    expect(marketing('supp-newer@ex.example').suppression).toEqual([
      expect.objectContaining({ reason: 'USER_SUPPRESSED' }),
    ]);
    expect(marketing('supp-older@ex.example').consent).toBe('SUBSCRIBED');
    expect(marketing('supp-older@ex.example').suppression).toEqual([]);
    // SMS: only SMS consent with an E.164 number.
    expect(marketing('sms-ok@ex.example', 'sms')).toMatchObject({ consent: 'SUBSCRIBED' });
    expect(marketing('sms-national@ex.example', 'sms').consent).toBeUndefined();
    expect(marketing('sms-silent@ex.example', 'sms').consent).toBeUndefined();
    expect(marketing('sms-silent@ex.example').consent).toBe('SUBSCRIBED');
    // A TikTok relay address is nobody's email in Klaviyo, let alone a subscribed one.
    expect(profileBy('email', RELAY)).toBeUndefined();

    expect(listMembers('Emberwick Letters').sort()).toEqual(
      [
        'dated@ex.example',
        'undated@ex.example',
        'unsub-older@ex.example',
        'supp-older@ex.example',
        'sms-silent@ex.example',
      ].sort(),
    );
    expect(listMembers('Emberwick Texts')).toEqual(['sms-ok@ex.example']);

    expect(stats.subscribed).toEqual({ email: 5, sms: 1 });
    expect(stats.skipped).toMatchObject({
      'email:no-consent': 3, // silent, sms-ok, sms-national
      'email:declined': 1,
      'email:no-provenance': 1,
      'email:opted-out-in-klaviyo': 2,
      'email:relay-email': 1,
      'sms:phone-not-e164': 1,
    });
  });

  it('a policy refusing undated consent skips an undated yes, counted as such', async () => {
    project.write('marketing/brands/emberwick/sync.yaml', syncYaml(false));
    project.write(
      'marketing/brands/emberwick/exports/signups.jsonl',
      jsonl([...SIGNUPS, { email: 'undated-later@ex.example', email_yes: true }]),
    );
    const { exitCode, json } = await syncJson(contextFor(project.cwd, env()), ['--brand', 'emberwick']);
    expect(exitCode).toBe(0);
    expect(marketing('undated-later@ex.example').consent).not.toBe('SUBSCRIBED');
    expect(json.brands[0]!.stats.skipped['email:consent-undated']).toBe(2);
    expect(json.brands[0]!.stats.subscribed).toEqual({ email: 0, sms: 0 });
  });
});
