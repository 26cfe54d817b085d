import { problemAt, type TicketProblem } from './ticketProblem';
import type { Ticket } from './ticketSchema';

export interface TicketGraphCheck {
  /** Tickets with unique ids, in the order given; a later file repeating an id is left out. */
  readonly tickets: readonly Ticket[];
  readonly problems: readonly TicketProblem[];
  /** Each dependency cycle once, as ids in order with the first id repeated at the end. */
  readonly cycles: readonly (readonly string[])[];
}

/**
 * Checks what no single file can: duplicate ids, dependencies on ids that do not exist, and cycles.
 * Tickets stay listed; the scheduler refuses to run a cycle, and this names it.
 */
export function checkTicketGraph(all: readonly Ticket[]): TicketGraphCheck {
  const problems: TicketProblem[] = [];
  const byId = new Map<string, Ticket>();
  const tickets: Ticket[] = [];
  for (const ticket of all) {
    const first = byId.get(ticket.id);
    if (first) {
      problems.push(
        problemAt(ticket.file, ticket.positions.id, 'error', `duplicate id "${ticket.id}": already used by ${first.file}:${first.positions.id.line}; this file is left out until the id is changed`),
      );
      continue;
    }
    byId.set(ticket.id, ticket);
    tickets.push(ticket);
  }

  for (const ticket of tickets) {
    ticket.dependsOn.forEach((dep, index) => {
      if (!byId.has(dep)) {
        const position = ticket.positions.dependsOn[index] ?? ticket.positions.id;
        problems.push(problemAt(ticket.file, position, 'error', `dependsOn: no ticket has the id "${dep}"`));
      }
    });
  }

  const cycles = findCycles(tickets, byId);
  for (const cycle of cycles) {
    const text = cycle.join(' → ');
    for (let i = 0; i < cycle.length - 1; i++) {
      const ticket = byId.get(cycle[i] as string) as Ticket;
      const index = ticket.dependsOn.indexOf(cycle[i + 1] as string);
      const position = ticket.positions.dependsOn[index] ?? ticket.positions.id;
      problems.push(problemAt(ticket.file, position, 'error', `dependency cycle: ${text}`));
    }
  }
  return { tickets, problems, cycles };
}

/**
 * Strongly connected components (Tarjan, iterative so a long chain cannot overflow the stack);
 * each component with a cycle is reported as one concrete cycle through its smallest id.
 */
function findCycles(tickets: readonly Ticket[], byId: ReadonlyMap<string, Ticket>): string[][] {
  const edges = (id: string): string[] => (byId.get(id)?.dependsOn ?? []).filter((d) => byId.has(d));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of tickets.map((t) => t.id)) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; next: number };
      const deps = edges(frame.id);
      if (frame.next < deps.length) {
        const dep = deps[frame.next++] as string;
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ id: dep, next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(dep) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = component.length === 1 && edges(frame.id).includes(frame.id);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cycleThrough(component, edges)).sort((a, b) => compareIds(a[0] ?? '', b[0] ?? ''));
}

/** A shortest cycle from the component's smallest id back to itself (breadth-first inside the component). */
function cycleThrough(component: string[], edges: (id: string) => string[]): string[] {
  const members = new Set(component);
  const start = [...component].sort(compareIds)[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const dep of edges(id)) {
      if (!members.has(dep)) continue;
      if (dep === start) {
        const path = [id];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(dep)) {
        previous.set(dep, id);
        queue.push(dep);
      }
    }
  }
  return [start, start];
}

// One collator for every comparison: localeCompare with options sets one up per call, which made
// sorting 5,000 tickets the slowest part of loading them.
const ID_COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order, so R2 sorts before R10. */
export function compareIds(a: string, b: string): number {
  return ID_COLLATOR.compare(a, b);
}
