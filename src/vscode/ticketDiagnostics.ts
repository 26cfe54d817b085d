import * as vscode from 'vscode';
import type { TicketSet } from '../core/tickets/loadTickets';
import type { TicketProblem } from '../core/tickets/ticketProblem';

/** Publishes ticket problems to the Problems panel, replacing the previous load's. */
export function createTicketDiagnostics(): { publish(set: TicketSet): void; collection: vscode.DiagnosticCollection } {
  const collection = vscode.languages.createDiagnosticCollection('flotilla-tickets');
  return {
    collection,
    publish(set) {
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const problem of set.problems) {
        const list = byFile.get(problem.file) ?? [];
        list.push(toDiagnostic(problem));
        byFile.set(problem.file, list);
      }
      collection.clear();
      collection.set([...byFile].map(([file, diagnostics]) => [vscode.Uri.file(file), diagnostics]));
    },
  };
}

function toDiagnostic(problem: TicketProblem): vscode.Diagnostic {
  const position = new vscode.Position(problem.line - 1, problem.column - 1);
  // The range covers the rest of the line so the squiggle is visible; the line is what matters.
  const range = new vscode.Range(position, position.translate(0, 1000));
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
  diagnostic.source = 'flotilla';
  return diagnostic;
}
