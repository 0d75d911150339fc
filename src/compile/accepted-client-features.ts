/**
 * `accepted_client_features`: caniemail features a brand's email clients may lack without a warning, each with
 * its reason, in the root config's `defaults` and in brand.yaml (a brand's entry for a feature replaces the
 * root's). Accepting a feature for some clients is narrower than turning the caniemail rule off: every other
 * feature and client is still checked. An accepted client no template needs is reported where it is written,
 * so the list cannot outlive the HTML that needed it.
 */
import { CLIENT_FEATURES, clientSupportMessage } from '../email/index.js';
import { suggestion, type Diagnostic } from '../project/diagnostics.js';
import { diagnosticAt, type Locator } from '../project/locator.js';
import type { AcceptedClientFeature, BrandProject, Project } from '../project/model.js';

export const ACCEPTED_CLIENT_FEATURE_RULE = 'accepted-client-feature';

/** One written entry: where it is, so its use is counted once however many brands read it. */
interface AcceptanceEntry {
  id: string;
  value: AcceptedClientFeature;
  at: Locator;
  path: Array<string | number>;
  /** Only a root entry can be read by brands that were not built (`--brand`). */
  root: boolean;
}

function entriesOf(
  list: readonly AcceptedClientFeature[] | undefined,
  at: Locator,
  path: Array<string | number>,
  root: boolean,
): AcceptanceEntry[] {
  return (list ?? []).map((value, i) => ({
    id: `${at([]).file}#${i}`,
    value,
    at,
    path: [...path, i],
    root,
  }));
}

/**
 * Applies the accepted features to the caniemail findings of the brands built, and remembers which entry and
 * client each acceptance used, for the report of entries nothing used.
 */
export class ClientFeatureAcceptance {
  private readonly root: AcceptanceEntry[];
  private readonly used = new Set<string>();
  private readonly read: AcceptanceEntry[] = [];

  constructor(project: Project) {
    this.root = project.root.valid
      ? entriesOf(
          project.root.value.defaults?.accepted_client_features,
          project.root.at,
          ['defaults', 'accepted_client_features'],
          true,
        )
      : [];
  }

  /** The entries in force for `brand`: the root's, with the brand's own replacing those of the same feature. */
  private entriesFor(brand: BrandProject): AcceptanceEntry[] {
    const own = brand.config.valid
      ? entriesOf(
          brand.config.value.accepted_client_features,
          brand.config.at,
          ['accepted_client_features'],
          false,
        )
      : [];
    const mine = new Set(own.map((e) => e.value.feature));
    const entries = [...this.root.filter((e) => !mine.has(e.value.feature)), ...own];
    for (const e of entries) if (!this.read.includes(e)) this.read.push(e);
    return entries;
  }

  /** A filter for one brand's findings: accepted clients removed, a finding with none left dropped. */
  forBrand(brand: BrandProject): (findings: readonly Diagnostic[]) => Diagnostic[] {
    const byFeature = new Map(this.entriesFor(brand).map((e) => [e.value.feature, e]));
    return (findings) => {
      const out: Diagnostic[] = [];
      for (const finding of findings) {
        const support = finding.clientSupport;
        const entry = support && byFeature.get(support.feature);
        if (!support || !entry) {
          out.push(finding);
          continue;
        }
        const left = support.clients.filter((client) => {
          if (!entry.value.clients.includes(client)) return true;
          this.used.add(`${entry.id}\n${client}`);
          return false;
        });
        if (left.length === 0) continue;
        if (left.length === support.clients.length) out.push(finding);
        else
          out.push({
            ...finding,
            message: clientSupportMessage(support.feature, left),
            clientSupport: { feature: support.feature, clients: left },
          });
      }
      return out;
    };
  }

  /**
   * Entries that name no caniemail feature (errors), and accepted clients no template of the brands built
   * needed (warnings). With `partial` (only some brands were built) root entries are not reported unused: a
   * brand not built may be the one that needs them.
   */
  report(options: { partial: boolean }): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const entry of new Set([...this.root, ...this.read])) {
      const { feature, clients } = entry.value;
      if (!CLIENT_FEATURES.has(feature)) {
        out.push(
          diagnosticAt(
            entry.at([...entry.path, 'feature']),
            ACCEPTED_CLIENT_FEATURE_RULE,
            'error',
            `'${feature}' is not a caniemail feature`,
            suggestion(feature, CLIENT_FEATURES) ??
              'write the feature as the caniemail warning names it, e.g. border-radius or @media',
          ),
        );
        continue;
      }
      if (options.partial && entry.root) continue;
      clients.forEach((client, i) => {
        if (this.used.has(`${entry.id}\n${client}`)) return;
        out.push(
          diagnosticAt(
            entry.at([...entry.path, 'clients', i]),
            ACCEPTED_CLIENT_FEATURE_RULE,
            'warning',
            `\`${feature}\` is accepted for ${client}, but no email needs it there`,
            `remove ${client} from this entry${clients.length === 1 ? ' (or the whole entry)' : ''}`,
          ),
        );
      });
    }
    return out;
  }
}
