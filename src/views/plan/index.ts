export { renderPlanText, resourceDetails, type TextOptions } from './text.js';
export {
  renderPlanMarkdown,
  renderBrandPlanSection,
  type BrandSectionOptions,
  DEFAULT_MARKDOWN_BUDGET,
  escapeMarkdown,
  type MarkdownOptions,
  type MarkdownDetail,
} from './markdown.js';
export { renderPlanJson } from './json.js';
export { describeConditionGroups, describeCondition } from './conditions.js';
export { flowTree, describeStep, describeTrigger } from './flow-tree.js';
