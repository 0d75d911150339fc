import type { FlowCreateBody, SegmentCreateBody, TemplateCreateBody } from '../../../src/klaviyo/index.js';

export function templateCreate(
  name: string,
  html = '<html><body><p>Hello {{ first_name }}</p></body></html>',
) {
  return {
    data: { type: 'template', attributes: { name, editor_type: 'CODE', html } },
  } satisfies TemplateCreateBody;
}

export function segmentCreate(name: string, vipValue = true): SegmentCreateBody {
  return {
    data: {
      type: 'segment',
      attributes: {
        name,
        definition: {
          condition_groups: [
            {
              conditions: [
                {
                  type: 'profile-property',
                  property: "properties['VIP']",
                  filter: { type: 'boolean', operator: 'equals', value: vipValue },
                },
              ],
            },
          ],
        },
      },
    },
  };
}

/** A list-triggered flow: wait one hour, then send one email with the given template. */
export function flowCreate(name: string, listId: string, templateId: string): FlowCreateBody {
  return {
    data: {
      type: 'flow',
      attributes: {
        name,
        definition: {
          triggers: [{ type: 'list', id: listId }],
          entry_action_id: 'wait',
          actions: [
            {
              temporary_id: 'wait',
              type: 'time-delay',
              data: { unit: 'hours', value: 1, timezone: 'profile' },
              links: { next: 'email' },
            },
            {
              temporary_id: 'email',
              type: 'send-email',
              data: {
                status: 'draft',
                message: {
                  name: 'Welcome',
                  from_email: 'hello@example.com',
                  from_label: 'Example Store',
                  subject_line: 'Welcome!',
                  template_id: templateId,
                },
              },
              links: { next: null },
            },
          ],
        },
      },
    },
  };
}
