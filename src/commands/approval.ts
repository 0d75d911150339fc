/**
 * Who approves an apply, Terraform's way. `apply --plan FILE` applies a reviewed plan: the review was the
 * approval. Otherwise apply shows the plan it made and asks the person at the terminal, accepting only 'yes';
 * with no terminal (CI, a pipe) it needs `--auto-approve` and refuses without it. A plan without changes needs
 * no approval. What cannot be undone is called out right above the question: live flows replaced (the profiles
 * waiting in their delays stop there) and deletes.
 */
import type { Plan, ResourcePlan } from '../engine/plan.js';
import { brandPlanWrites, planHasChanges } from '../engine/plan.js';
import type { RemoteBrandState } from '../engine/remote-model.js';
import type { Interactive } from './command.js';

export const CANCELLED_MESSAGE = 'Apply cancelled: nothing was written.';

export type Approval =
  /** `shown`: the plan and the callouts were already shown to the person who approved. */
  { kind: 'approved'; shown: boolean } | { kind: 'refused'; message: string } | { kind: 'cancelled' };

export interface ApprovalRequest {
  plan: Plan;
  remote: ReadonlyMap<string, RemoteBrandState>;
  /** Applying a reviewed plan file. */
  reviewedPlan: boolean;
  autoApprove: boolean;
  interactive?: Interactive | undefined;
  /** The lines shown above the question: the target and the plan. */
  preamble: string[];
}

export async function seekApproval(request: ApprovalRequest): Promise<Approval> {
  const { plan } = request;
  if (request.reviewedPlan || request.autoApprove || !planHasChanges(plan))
    return { kind: 'approved', shown: false };
  if (!request.interactive) {
    return {
      kind: 'refused',
      message:
        'Refused: apply asks before it writes, and there is no terminal to ask. Review the changes with ' +
        '`klaviyo-gitops plan`, then run `klaviyo-gitops apply --auto-approve` (or apply exactly the reviewed plan ' +
        'with `klaviyo-gitops apply --plan output/plan.json`). Nothing was written.',
    };
  }
  const text = [...request.preamble, ...approvalCallouts(plan, request.remote), approvalQuestion(plan)];
  const answer = await request.interactive.ask(text.join('\n'));
  return answer.trim() === 'yes' ? { kind: 'approved', shown: true } : { kind: 'cancelled' };
}

/** "Apply these changes to north and south? Only 'yes' is accepted: " (the brands with changes). */
export function approvalQuestion(plan: Plan): string {
  const brands = plan.brands.filter(brandPlanWrites).map((b) => b.brand);
  const names = brands.length > 1 ? `${brands.slice(0, -1).join(', ')} and ${brands.at(-1)!}` : brands[0];
  return `Apply these changes to ${names ?? 'Klaviyo'}? Only 'yes' is accepted: `;
}

/** One line per change that cannot be undone: a live flow replaced, an object deleted. */
export function approvalCallouts(plan: Plan, remote: ReadonlyMap<string, RemoteBrandState>): string[] {
  const lines: string[] = [];
  for (const brand of plan.brands) {
    const flows = remote.get(brand.brand)?.flows ?? [];
    for (const resource of brand.resources) {
      const action = resource.action;
      if (action.type === 'delete') lines.push(`! brand ${brand.brand}: deletes ${named(resource)}`);
      if (action.type !== 'replace') continue;
      const status = flows.find((f) => f.id === resource.id)?.status ?? 'draft';
      const retired =
        action.retire === 'delete' ? 'the old flow is deleted' : 'the old flow is kept in draft';
      if (status !== 'draft')
        lines.push(
          `! brand ${brand.brand}: replaces ${status} ${named(resource)}: profiles waiting in its delays stop there; ${retired}`,
        );
      else if (action.retire === 'delete')
        lines.push(`! brand ${brand.brand}: replaces draft ${named(resource)}: ${retired}`);
    }
  }
  return lines;
}

function named(resource: ResourcePlan): string {
  return `${resource.kind} ${resource.key} ${JSON.stringify(resource.name)}${resource.id ? ` (${resource.id})` : ''}`;
}
