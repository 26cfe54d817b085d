import type { CommandHandlers } from './commands';
import type { FlotillaContext } from './flotillaContext';
import { clearTicketSelection, newTicket, openTicket, selectAllTickets, type TicketCommandDeps } from './ticketCommands';
import { clearApiKey, setApiKey } from './apiKeyCommands';
import { showLog } from './log';

type Handlers<K extends keyof CommandHandlers> = Pick<CommandHandlers, K>;

/** The commands of the Tickets view. */
export function ticketHandlers(ctx: FlotillaContext): Handlers<'newTicket' | 'refreshTickets' | 'selectAllTickets' | 'clearTicketSelection' | 'openTicket'> {
  const deps: TicketCommandDeps = { model: ctx.tickets, tree: ctx.tree, selection: ctx.selection };
  return {
    newTicket: () => newTicket(deps),
    refreshTickets: () => ctx.tickets.refresh(),
    selectAllTickets: () => selectAllTickets(deps),
    clearTicketSelection: () => clearTicketSelection(deps),
    openTicket: (target) => openTicket(deps, target as Parameters<typeof openTicket>[1]),
  };
}

/** API key and log commands. */
export function accountHandlers(ctx: FlotillaContext): Handlers<'setApiKey' | 'clearApiKey' | 'showLog'> {
  return {
    setApiKey: (key) => setApiKey(ctx.apiKey, key),
    clearApiKey: () => clearApiKey(ctx.apiKey),
    showLog: () => showLog(),
  };
}
