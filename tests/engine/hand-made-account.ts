/** An account built by hand in Klaviyo (a list, a segment, templates, a live flow): nothing carries our markers. */
import type { KlaviyoClient } from '../../src/klaviyo/index.js';

export const sender = { from_email: 'hello@acme.example', from_label: 'Acme', reply_to_email: null };

export async function handMadeAccount(client: KlaviyoClient): Promise<void> {
  await client.events.create({
    data: {
      type: 'event',
      attributes: {
        properties: {},
        metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
        profile: { data: { type: 'profile', attributes: { email: 'a@example.com' } } },
      },
    },
  });
  let placedOrder = '';
  for await (const metric of client.metrics.list())
    if (metric.attributes.name === 'Placed Order') placedOrder = metric.id;
  const list = await client.lists.create({ data: { type: 'list', attributes: { name: 'Newsletter' } } });
  await client.segments.create({
    data: {
      type: 'segment',
      attributes: {
        name: 'Big spenders',
        is_starred: true,
        definition: {
          condition_groups: [
            { conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: [list.id] }] },
            {
              conditions: [
                {
                  type: 'profile-metric',
                  metric_id: placedOrder,
                  measurement: 'sum',
                  measurement_filter: { type: 'numeric', operator: 'greater-than', value: 500 },
                  timeframe_filter: { type: 'date', operator: 'alltime' },
                },
              ],
            },
          ],
        } as never,
      },
    },
  });
  const footer = '<p>{% unsubscribe %} {{ organization.full_address }}</p>';
  const text = 'Unsubscribe: {% unsubscribe_link %}\n{{ organization.full_address }}';
  const html = `<html><body><p>Hi {{ first_name }}</p>${footer}</body></html>`;
  const welcome = await client.templates.create({
    data: {
      type: 'template',
      attributes: { name: 'Welcome', editor_type: 'CODE', html, text: `Hi there\n${text}` },
    },
  });
  const oneOff = await client.templates.create({
    data: {
      type: 'template',
      attributes: { name: 'One-off', editor_type: 'CODE', html: `<p>Thanks</p>${footer}`, text },
    },
  });
  const email = (template: string, subject: string) => ({
    message: {
      name: subject,
      ...sender,
      subject_line: subject,
      preview_text: 'Preview',
      template_id: template,
    },
  });
  const welcomeFlow = await client.flows.create({
    data: {
      type: 'flow',
      attributes: {
        name: 'Welcome series',
        definition: {
          triggers: [{ type: 'list', id: list.id }],
          profile_filter: {
            condition_groups: [
              {
                conditions: [
                  {
                    type: 'profile-marketing-consent',
                    consent: {
                      channel: 'email',
                      can_receive_marketing: true,
                      consent_status: { subscription: 'subscribed' },
                    },
                  },
                ],
              },
            ],
          },
          entry_action_id: 'w',
          actions: [
            { temporary_id: 'w', type: 'time-delay', links: { next: 'e' }, data: { unit: 'days', value: 1 } },
            {
              temporary_id: 'e',
              type: 'send-email',
              links: { next: 's' },
              data: email(welcome.id, 'Welcome!'),
            },
            {
              temporary_id: 's',
              type: 'conditional-split',
              links: { next_if_true: 'p', next_if_false: 'h' },
              data: {
                profile_filter: {
                  condition_groups: [
                    {
                      conditions: [
                        {
                          type: 'profile-metric',
                          metric_id: placedOrder,
                          measurement: 'count',
                          measurement_filter: { type: 'numeric', operator: 'greater-than', value: 0 },
                          timeframe_filter: { type: 'date', operator: 'flow-start' },
                        },
                      ],
                    },
                  ],
                },
              },
            },
            {
              temporary_id: 'p',
              type: 'update-profile',
              links: { next: null },
              data: {
                profile_operations: [
                  {
                    operator: 'update',
                    property_type: 'boolean',
                    property_key: 'welcomed',
                    property_value: true,
                  },
                ],
              },
            },
            {
              temporary_id: 'h',
              type: 'send-webhook',
              links: { next: 'c' },
              data: {
                message: {
                  name: 'Tell the CRM',
                  url: 'https://crm.example/hook',
                  headers: { 'X-Source': 'klaviyo' },
                  body: '{}',
                },
              },
            },
            {
              temporary_id: 'c',
              type: 'send-email',
              links: { next: null },
              data: email(oneOff.id, 'A one-off'),
            },
          ],
        } as never,
      },
    },
  });
  await client.flows.updateStatus(welcomeFlow.id, 'live');
  // The standalone template is gone; only the flow email's copy of it remains.
  await client.templates.delete(oneOff.id);
}
