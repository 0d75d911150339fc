/**
 * The names import's converters ask for, answered from placeholders. The plan compares values with known ids
 * replaced by `@list:newsletter`, `@metric:Placed Order`, `@template:welcome-1`; a pull turns those values back
 * into the repository format, so each lookup reads the key or name out of the placeholder. An id that is not a
 * placeholder belongs to no object of the repository, and the converters write it `raw:`.
 */
import { parseRefPlaceholder, type RefKind } from '../../compile/desired-state.js';
import type { FlowImportContext } from '../import/flow-file.js';
import type { ConditionNames } from '../import/property-tests.js';

function keyOf(kind: RefKind): (value: string) => string | undefined {
  return (value) => {
    const ref = parseRefPlaceholder(value);
    return ref?.kind === kind ? ref.key : undefined;
  };
}

export function conditionNames(inFlow: boolean): ConditionNames {
  return { listKey: keyOf('list'), segmentKey: keyOf('segment'), metricName: keyOf('metric'), inFlow };
}

export function flowNames(
  flowKey: string,
  listName: (key: string) => string | undefined,
  sender: FlowImportContext['sender'],
): FlowImportContext {
  return {
    flowKey,
    ...conditionNames(true),
    templateKeyOfCopy: keyOf('template'),
    listName,
    sender,
  };
}
