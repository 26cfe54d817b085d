import { compareIds } from '../tickets/ticketGraph';
import { DagCycleError } from './dagErrors';

/**
 * Kahn's algorithm over `predecessors` (id → ids it waits for), ties broken by natural id order so
 * the same batch always yields the same order. Throws a DagCycleError naming one cycle if any.
 */
export function topologicalOrder(ids: readonly string[], predecessors: (id: string) => readonly string[]): string[] {
  const waitingOn = new Map<string, number>();
  const successors = new Map<string, string[]>();
  for (const id of ids) {
    waitingOn.set(id, predecessors(id).length);
    successors.set(id, []);
  }
  for (const id of ids) {
    for (const before of predecessors(id)) successors.get(before)?.push(id);
  }

  const ready = ids.filter((id) => waitingOn.get(id) === 0).sort(compareIds);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    const released: string[] = [];
    for (const after of successors.get(id) ?? []) {
      const left = (waitingOn.get(after) as number) - 1;
      waitingOn.set(after, left);
      if (left === 0) released.push(after);
    }
    if (released.length > 0) {
      ready.push(...released);
      ready.sort(compareIds);
    }
  }

  if (order.length < ids.length) {
    const placed = new Set(order);
    throw new DagCycleError(nameCycle(ids.filter((id) => !placed.has(id)), predecessors));
  }
  return order;
}

/**
 * Every ticket Kahn could not place still waits for another unplaced ticket, so walking
 * "waits for" from any of them must revisit a ticket: that loop is a cycle. Walking from the
 * smallest id along the smallest predecessor keeps the name stable; it starts at its smallest id.
 */
function nameCycle(stuck: readonly string[], predecessors: (id: string) => readonly string[]): string[] {
  const stuckSet = new Set(stuck);
  const path: string[] = [];
  const seenAt = new Map<string, number>();
  let current = [...stuck].sort(compareIds)[0] as string;
  while (!seenAt.has(current)) {
    seenAt.set(current, path.length);
    path.push(current);
    const next = predecessors(current)
      .filter((id) => stuckSet.has(id))
      .sort(compareIds)[0];
    if (next === undefined) break; // unreachable: a stuck ticket always waits for a stuck ticket
    current = next;
  }
  const loop = path.slice(seenAt.get(current) ?? 0);
  const smallest = [...loop].sort(compareIds)[0] as string;
  const start = loop.indexOf(smallest);
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, smallest];
}
