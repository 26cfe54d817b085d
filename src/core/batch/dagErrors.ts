/** Base class so callers can catch every reason a set of tickets cannot be scheduled at once. */
export class DagError extends Error {
  override readonly name: string = 'DagError';
}

export class DagCycleError extends DagError {
  override readonly name = 'DagCycleError';
  /** Ids along the cycle in `dependsOn` direction, the first id repeated at the end. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' → ')}`);
    this.cycle = cycle;
  }
}

export class DagUnknownDependencyError extends DagError {
  override readonly name = 'DagUnknownDependencyError';

  constructor(
    readonly ticketId: string,
    readonly missingId: string,
  ) {
    super(`${ticketId} depends on ${missingId}, which is not in the batch`);
  }
}

export class DagDuplicateIdError extends DagError {
  override readonly name = 'DagDuplicateIdError';

  constructor(readonly ticketId: string) {
    super(`the ticket id ${ticketId} appears more than once`);
  }
}

export class DagInvalidNodeError extends DagError {
  override readonly name = 'DagInvalidNodeError';

  constructor(
    readonly index: number,
    detail: string,
  ) {
    super(`scheduler input #${index + 1} is invalid: ${detail}`);
  }
}
