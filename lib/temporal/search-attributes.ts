// Registers the search attributes staff filter on, when missing. A namespace
// persisted by an earlier dev-server start (or a real cluster) may predate an
// attribute; `--search-attribute` only applies to namespaces it creates.
import proto from '@temporalio/proto';
import type { Connection } from '@temporalio/client';
import type { SearchAttributeKind } from './dev-settings.js';

const { temporal } = proto;
const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const kinds: Record<SearchAttributeKind, proto.temporal.api.enums.v1.IndexedValueType> = {
  Text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  wanted: Record<string, SearchAttributeKind>,
): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const present = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(wanted).filter(([name]) => !present.has(name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, kind]) => [name, kinds[kind]])),
  });
  return missing.map(([name]) => name);
}
