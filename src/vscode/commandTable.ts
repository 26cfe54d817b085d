/**
 * Every command Flotilla contributes. package.json's `contributes.commands` mirrors this table
 * (a unit test keeps them identical), and registration in commands.ts is typed by it. `palette:
 * false` hides an item-only command from the Command Palette; `paletteWhen` shows a command there
 * only when it can apply (package.json's `menus.commandPalette` carries the same clause).
 */
export const COMMAND_TABLE = {
  newTicket: { id: 'flotilla.newTicket', title: 'New Ticket', icon: '$(add)', palette: true },
  refreshTickets: { id: 'flotilla.refreshTickets', title: 'Refresh Tickets', icon: '$(refresh)', palette: true },
  selectAllTickets: { id: 'flotilla.selectAllTickets', title: 'Select All Tickets', icon: '$(check-all)', palette: true },
  clearTicketSelection: { id: 'flotilla.clearTicketSelection', title: 'Clear Ticket Selection', icon: '$(clear-all)', palette: true },
  openTicket: { id: 'flotilla.openTicket', title: 'Open Ticket', icon: '$(go-to-file)', palette: false },
  setApiKey: { id: 'flotilla.setApiKey', title: 'Set API Key', icon: '$(key)', palette: true },
  clearApiKey: { id: 'flotilla.clearApiKey', title: 'Clear API Key', icon: '$(trash)', palette: true },
  showLog: { id: 'flotilla.showLog', title: 'Show Log', icon: '$(output)', palette: true },
  showBatchReport: { id: 'flotilla.showBatchReport', title: 'Show Batch Report', icon: '$(pulse)', palette: true },
  exportReport: { id: 'flotilla.exportReport', title: 'Export Report', icon: '$(export)', palette: true },
  showPanel: { id: 'flotilla.showPanel', title: 'Show Panel', icon: '$(graph-line)', palette: true },
  runBatch: { id: 'flotilla.runBatch', title: 'Run Batch', icon: '$(play)', palette: true },
  planBatch: { id: 'flotilla.planBatch', title: 'Plan Batch', icon: '$(graph)', palette: true },
  cancelBatch: { id: 'flotilla.cancelBatch', title: 'Cancel Batch', icon: '$(debug-stop)', palette: true, paletteWhen: 'flotilla.batchRunning' },
  setModel: { id: 'flotilla.setModel', title: 'Set Model', icon: '$(symbol-class)', palette: false },
  cancelTicket: { id: 'flotilla.cancelTicket', title: 'Cancel', icon: '$(debug-stop)', palette: false },
  retryTicket: { id: 'flotilla.retryTicket', title: 'Retry', icon: '$(debug-restart)', palette: false },
  resumeBatch: { id: 'flotilla.resumeBatch', title: 'Resume Batch', icon: '$(debug-continue)', palette: true, paletteWhen: 'flotilla.canResume && !flotilla.batchRunning' },
  listModels: { id: 'flotilla.listModels', title: 'List Models', icon: '$(list-unordered)', palette: true },
  reviewTicket: { id: 'flotilla.reviewTicket', title: 'Review Ticket', icon: '$(diff-multiple)', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  // No icon: in the review's title bar the decisions read as words, not a ✓ and a ✕ that looks like Close.
  acceptTicket: { id: 'flotilla.acceptTicket', title: 'Accept & Merge', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  rejectTicket: { id: 'flotilla.rejectTicket', title: 'Reject', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  requestChanges: { id: 'flotilla.requestChanges', title: 'Request Changes', icon: '$(comment-discussion)', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  showGateOutput: { id: 'flotilla.showGateOutput', title: 'Show Gate Output', icon: '$(output)', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  acceptFile: { id: 'flotilla.acceptFile', title: 'Accept File', icon: '$(pass)', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  rejectFile: { id: 'flotilla.rejectFile', title: 'Reject File', icon: '$(discard)', palette: true, paletteWhen: 'flotilla.reviewing || flotilla.awaitingReview' },
  tryDemo: { id: 'flotilla.tryDemo', title: 'Try the Demo (Simulated, Free)', icon: '$(beaker)', palette: true },
  useSimulatedModel: { id: 'flotilla.useSimulatedModel', title: 'Use Simulated Model', icon: '$(beaker)', palette: true },
} as const;

export const COMMAND_CATEGORY = 'Flotilla';

export type CommandName = keyof typeof COMMAND_TABLE;

export const COMMAND_IDS = Object.fromEntries(Object.entries(COMMAND_TABLE).map(([name, c]) => [name, c.id])) as {
  readonly [K in CommandName]: (typeof COMMAND_TABLE)[K]['id'];
};
