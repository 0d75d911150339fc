/** The plan as JSON: the object itself (schemas/plan.schema.json), two-space indented, newline-terminated. */
import type { Plan } from '../../engine/plan.js';

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
