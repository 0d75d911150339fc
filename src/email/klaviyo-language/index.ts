/** Klaviyo's template language: parse once, render with preview data. */
export type { Condition, FilterExpression, KlaviyoTemplate, Node, Operand } from './ast.js';
export { FILTERS } from './filters.js';
export {
  KLAVIYO_SYNTAX_RULE,
  lineLocator,
  parseKlaviyoTemplate,
  type ParseOptions,
  type ParseResult,
} from './parser.js';
export {
  DEFAULT_LINK_BASE,
  DEFAULT_PREVIEW_NOW,
  renderKlaviyoTemplate,
  type RenderOptions,
  type RenderResult,
  type RenderWarning,
  type RenderWarningKind,
} from './renderer.js';
export { SafeString } from './values.js';
