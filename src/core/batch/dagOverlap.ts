import { compareIds } from '../tickets/ticketGraph';
import type { DagEdge } from './dagNode';

export interface OverlapCandidate {
  readonly id: string;
  readonly priority: number;
  readonly predictedFiles: readonly string[];
}

/** `./src/a.ts`, `src\a.ts` and `src//a.ts` name the same file. */
export function normalizePredictedFile(file: string): string {
  return file
    .trim()
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^(\.\/)+/, '');
}

/**
 * Orders tickets predicted to touch the same file one after the other (higher priority first, then
 * id), so two workers do not produce conflicting diffs. A pair that is already ordered by some path
 * gets no edge, and an edge is only added where no path runs the other way, so no cycle can appear.
 * Later tickets are linked to the nearest earlier one first, which yields a chain, not a clique.
 *
 * `successors` holds every edge so far (dependsOn included) and is extended in place.
 */
export function fileOverlapEdges(
  candidates: readonly OverlapCandidate[],
  successors: Map<string, string[]>,
): DagEdge[] {
  const rank = [...candidates].sort((a, b) => a.priority - b.priority || compareIds(a.id, b.id));
  const byFile = new Map<string, string[]>();
  for (const ticket of rank) {
    for (const file of new Set(ticket.predictedFiles.map(normalizePredictedFile))) {
      const list = byFile.get(file) ?? [];
      list.push(ticket.id);
      byFile.set(file, list);
    }
  }

  const edges: DagEdge[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const sharing = byFile.get(file) as string[];
    for (let later = 1; later < sharing.length; later++) {
      const after = sharing[later] as string;
      for (let earlier = later - 1; earlier >= 0; earlier--) {
        const before = sharing[earlier] as string;
        if (reaches(successors, before, after) || reaches(successors, after, before)) continue;
        successors.get(before)?.push(after);
        edges.push({ before, after, kind: 'fileOverlap', file });
      }
    }
  }
  return edges;
}

function reaches(successors: ReadonlyMap<string, readonly string[]>, from: string, to: string): boolean {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const next of successors.get(id) ?? []) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}
