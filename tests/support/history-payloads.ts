// Every payload of a workflow history — inputs, results, signals, activity
// arguments, failure details — found by shape (metadata + data) wherever it
// sits, depth first: what the secrets tests decode and search.
export interface HistoryPayload {
  metadata: Record<string, Uint8Array>;
  data?: Uint8Array | null;
}

export function payloadsIn(history: unknown): HistoryPayload[] {
  const found: HistoryPayload[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.metadata && typeof obj.metadata === 'object' && 'data' in obj) {
      found.push(obj as unknown as HistoryPayload);
      return;
    }
    Object.values(obj).forEach(walk);
  };
  walk(history);
  return found;
}
