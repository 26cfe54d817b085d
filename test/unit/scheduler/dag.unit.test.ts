import assert from 'node:assert/strict';
import { buildDag } from '../../../src/core/batch/dag';
import {
  DagCycleError,
  DagDuplicateIdError,
  DagError,
  DagInvalidNodeError,
  DagUnknownDependencyError,
} from '../../../src/core/batch/dagErrors';
import { normalizePredictedFile } from '../../../src/core/batch/dagOverlap';

function node(id: string, dependsOn: string[] = [], extra: { files?: string[]; duration?: number; priority?: number } = {}) {
  return {
    id,
    dependsOn,
    predictedFiles: extra.files ?? [],
    ...(extra.duration !== undefined ? { estimatedDuration: extra.duration } : {}),
    ...(extra.priority !== undefined ? { priority: extra.priority } : {}),
  };
}

function cycleOf(fn: () => unknown): DagCycleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DagCycleError) return error;
    throw error;
  }
  assert.fail('expected a DagCycleError');
}

describe('buildDag', () => {
  it('orders tickets after their dependencies, ties by natural id order', () => {
    const dag = buildDag([node('R10'), node('R3', ['R10']), node('R2'), node('R1', ['R2', 'R3'])]);
    assert.deepEqual(dag.order, ['R2', 'R10', 'R3', 'R1']);
    assert.deepEqual(dag.nodes.get('R10')?.dependents, ['R3']);
    assert.deepEqual(dag.nodes.get('R1')?.dependsOn, ['R2', 'R3']);
  });

  it('computes the remaining critical path (longest estimated path to a sink, itself included)', () => {
    //  A(2) → B(3) → D(1);  A → C(10);  E(4) alone
    const dag = buildDag([
      node('A', [], { duration: 2 }),
      node('B', ['A'], { duration: 3 }),
      node('C', ['A'], { duration: 10 }),
      node('D', ['B'], { duration: 1 }),
      node('E', [], { duration: 4 }),
    ]);
    const cp = Object.fromEntries([...dag.nodes.values()].map((n) => [n.id, n.criticalPath]));
    assert.deepEqual(cp, { A: 12, B: 4, C: 10, D: 1, E: 4 });
  });

  it('counts a ticket without an estimate as one unit and without a priority as 3', () => {
    const dag = buildDag([node('A'), node('B', ['A'])]);
    assert.equal(dag.nodes.get('A')?.criticalPath, 2);
    assert.equal(dag.nodes.get('A')?.priority, 3);
  });

  it('names a two-ticket cycle in dependsOn direction, starting at the smallest id', () => {
    const error = cycleOf(() => buildDag([node('R06', ['R03']), node('R03', ['R06']), node('R01')]));
    assert.deepEqual(error.cycle, ['R03', 'R06', 'R03']);
    assert.equal(error.message, 'dependency cycle: R03 → R06 → R03');
    assert.ok(error instanceof DagError);
  });

  it('names a longer cycle and ignores tickets that merely hang off it', () => {
    // R1 → R2 → R3 → R1 is the cycle; R9 depends on R3 and is stuck without being part of it.
    const error = cycleOf(() => buildDag([node('R9', ['R3']), node('R2', ['R3']), node('R3', ['R1']), node('R1', ['R2'])]));
    assert.equal(error.message, 'dependency cycle: R1 → R2 → R3 → R1');
  });

  it('names a ticket that depends on itself', () => {
    assert.equal(cycleOf(() => buildDag([node('A', ['A'])])).message, 'dependency cycle: A → A');
  });

  it('rejects unknown dependencies, duplicate ids and invalid input with typed errors', () => {
    assert.throws(() => buildDag([node('A', ['Z'])]), (e: unknown) => e instanceof DagUnknownDependencyError && e.missingId === 'Z' && e.ticketId === 'A');
    assert.throws(() => buildDag([node('A'), node('A')]), DagDuplicateIdError);
    assert.throws(() => buildDag([node('bad id')]), DagInvalidNodeError);
    assert.throws(() => buildDag([node('A', [], { duration: -1 })]), /estimatedDuration/);
  });

  it('builds an empty DAG from no tickets', () => {
    const dag = buildDag([]);
    assert.deepEqual(dag.order, []);
    assert.equal(dag.nodes.size, 0);
  });
});

describe('buildDag file-overlap edges', () => {
  it('runs two independent tickets that share a file one after the other, higher priority first', () => {
    const dag = buildDag([node('A', [], { files: ['src/x.ts'], priority: 4 }), node('B', [], { files: ['./src/x.ts'], priority: 1 })]);
    assert.deepEqual(dag.overlapEdges, [{ before: 'B', after: 'A', kind: 'fileOverlap', file: 'src/x.ts' }]);
    assert.deepEqual(dag.nodes.get('A')?.runsAfter, ['B']);
    assert.deepEqual(dag.nodes.get('B')?.runsBefore, ['A']);
    assert.deepEqual(dag.order, ['B', 'A']);
    // Ordering only: B is not a dependency of A.
    assert.deepEqual(dag.nodes.get('A')?.dependsOn, []);
    assert.deepEqual(dag.nodes.get('B')?.dependents, []);
  });

  it('breaks equal priorities by id', () => {
    const dag = buildDag([node('R2', [], { files: ['a'] }), node('R10', [], { files: ['a'] })]);
    assert.deepEqual(dag.overlapEdges.map((e) => [e.before, e.after]), [['R2', 'R10']]);
  });

  it('adds no edge when a dependency path already orders the pair, even against priority', () => {
    // B has the higher priority but depends (through M) on A: an edge B → A would close a cycle.
    const dag = buildDag([
      node('A', [], { files: ['f'], priority: 5 }),
      node('M', ['A']),
      node('B', ['M'], { files: ['f'], priority: 1 }),
    ]);
    assert.deepEqual(dag.overlapEdges, []);
    assert.deepEqual(dag.order, ['A', 'M', 'B']);
  });

  it('chains three tickets on one file instead of linking every pair', () => {
    const dag = buildDag([node('C', [], { files: ['f'] }), node('A', [], { files: ['f'] }), node('B', [], { files: ['f'] })]);
    assert.deepEqual(dag.overlapEdges.map((e) => `${e.before}>${e.after}`), ['A>B', 'B>C']);
    assert.equal(dag.nodes.get('A')?.criticalPath, 3);
  });

  it('stays acyclic when several shared files pull in different directions', () => {
    // On f1 A goes before B; on f2 the rank says the same, and on f3 C links both without a loop.
    const dag = buildDag([
      node('A', [], { files: ['f1', 'f2'] }),
      node('B', [], { files: ['f2', 'f1', 'f3'] }),
      node('C', ['B'], { files: ['f3'] }),
      node('D', [], { files: ['f3'] }),
    ]);
    assert.equal(dag.order.length, 4);
    const position = new Map(dag.order.map((id, i) => [id, i]));
    for (const edge of dag.overlapEdges) assert.ok((position.get(edge.before) as number) < (position.get(edge.after) as number));
    assert.deepEqual(dag.overlapEdges.map((e) => `${e.before}>${e.after}`), ['A>B', 'C>D']);
  });

  it('normalizes predicted paths', () => {
    assert.equal(normalizePredictedFile('./src\\a//b.ts'), 'src/a/b.ts');
    assert.equal(normalizePredictedFile(' src/a.ts '), 'src/a.ts');
  });
});
