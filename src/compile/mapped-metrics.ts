/**
 * brands/<brand>/metrics.yaml -> the brand's mapped metrics: each slot with the metric name it points at.
 * A metric name is checked like one in a segment (standard metrics plus the root config's custom ones), so a
 * typo fails validation at its line rather than mapping revenue to nothing.
 */
import { suggestion, type Diagnostic } from '../project/diagnostics.js';
import { diagnosticAt } from '../project/locator.js';
import { MAPPED_METRIC_SLOTS, type Loaded, type MetricsFile } from '../project/model.js';
import type { DesiredMappedMetric } from './desired-state.js';

/** What each slot means, for plans and messages. */
export const MAPPED_METRIC_LABELS: Record<string, string> = {
  revenue: 'Revenue',
  cancelled_sales: 'Cancelled sales',
  refunded_sales: 'Refunded sales',
  ordered_product: 'Ordered product',
  started_checkout: 'Started checkout',
  added_to_cart: 'Added to cart',
  viewed_product: 'Viewed product',
};

export function compileMappedMetrics(
  file: Loaded<MetricsFile> | undefined,
  metrics: ReadonlySet<string>,
): { mappedMetrics: DesiredMappedMetric[]; diagnostics: Diagnostic[] } {
  const mappedMetrics: DesiredMappedMetric[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!file?.valid) return { mappedMetrics, diagnostics };
  for (const slot of MAPPED_METRIC_SLOTS) {
    const metric = file.value.mapped[slot];
    if (metric === undefined) continue;
    const at = file.at(['mapped', slot]);
    if (!metrics.has(metric)) {
      diagnostics.push(
        diagnosticAt(
          at,
          'unknown-metric',
          'error',
          `unknown metric '${metric}'`,
          suggestion(metric, metrics) ??
            "check the spelling, or declare a custom metric under 'metrics:' in klaviyo-gitops.yaml",
        ),
      );
      continue;
    }
    mappedMetrics.push({
      kind: 'mapped-metric',
      key: slot,
      name: MAPPED_METRIC_LABELS[slot] ?? slot,
      metric,
      source: { file: at.file, line: at.line, col: at.col },
    });
  }
  return { mappedMetrics, diagnostics };
}
