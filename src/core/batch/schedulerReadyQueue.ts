import { compareIds } from '../tickets/ticketGraph';
import type { DagNode } from './dagNode';

/**
 * Longest remaining critical path first: starting the ticket at the head of the longest chain is
 * what keeps a list schedule close to its lower bound. Ties go to the higher ticket priority
 * (1 before 5), then to the smaller id so runs are reproducible.
 */
export function compareReadiness(a: DagNode, b: DagNode): number {
  return b.criticalPath - a.criticalPath || a.priority - b.priority || compareIds(a.id, b.id);
}

/** Tickets whose prerequisites are settled, kept in start order (batches are small; a sorted array will do). */
export class ReadyQueue {
  private readonly items: DagNode[] = [];

  get size(): number {
    return this.items.length;
  }

  add(node: DagNode): void {
    let index = this.items.findIndex((other) => compareReadiness(node, other) < 0);
    if (index < 0) index = this.items.length;
    this.items.splice(index, 0, node);
  }

  remove(id: string): boolean {
    const index = this.items.findIndex((node) => node.id === id);
    if (index < 0) return false;
    this.items.splice(index, 1);
    return true;
  }

  pop(): DagNode | undefined {
    return this.items.shift();
  }

  ids(): string[] {
    return this.items.map((node) => node.id);
  }
}
