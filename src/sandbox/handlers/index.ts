/** Every implemented operation, by operationId. Operations of the spec not listed here answer 501. */
import type { Handler } from '../context.js';
import { accountHandlers } from './accounts.js';
import { bulkEventHandlers } from './bulk-events.js';
import { bulkJobHandlers } from './bulk-jobs.js';
import { bulkSubscribeHandlers } from './bulk-subscribe.js';
import { eventHandlers } from './events.js';
import { flowActionHandlers } from './flow-actions.js';
import { flowHandlers } from './flows.js';
import { imageHandlers } from './images.js';
import { listHandlers } from './lists.js';
import { mappedMetricHandlers } from './mapped-metrics.js';
import { profileImportJobHandlers } from './profile-import-jobs.js';
import { profileHandlers } from './profiles.js';
import { segmentHandlers } from './segments.js';
import { tagHandlers } from './tags.js';
import { templateHandlers } from './templates.js';

export const handlers: Readonly<Record<string, Handler>> = {
  ...accountHandlers,
  ...profileHandlers,
  ...eventHandlers,
  ...mappedMetricHandlers,
  ...listHandlers,
  ...segmentHandlers,
  ...templateHandlers,
  ...flowHandlers,
  ...flowActionHandlers,
  ...tagHandlers,
  ...imageHandlers,
  ...bulkJobHandlers,
  ...profileImportJobHandlers,
  ...bulkEventHandlers,
  ...bulkSubscribeHandlers,
};
