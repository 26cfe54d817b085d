import type { BetaManagedAgentsAgent, BetaManagedAgentsCustomTool } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { z } from 'zod';
import { SimulatedApiError } from '../apiErrors';
import type { agentCreateSchema, agentUpdateSchema } from './requestBodies';
import { iso } from './wirePages';

type AgentCreate = z.infer<typeof agentCreateSchema>;
type AgentUpdate = z.infer<typeof agentUpdateSchema>;

/**
 * Agents with their versions: every update that changes something is a new version, and every
 * version stays readable (a session pins the version it was created with).
 */
export class AgentStore {
  private readonly versions = new Map<string, BetaManagedAgentsAgent[]>();

  constructor(
    private readonly now: () => number,
    private readonly nextId: () => string,
  ) {}

  create(params: AgentCreate): BetaManagedAgentsAgent {
    const at = iso(this.now());
    const agent: BetaManagedAgentsAgent = {
      id: this.nextId(),
      type: 'agent',
      name: params.name,
      description: params.description ?? null,
      model: typeof params.model === 'string' ? { id: params.model } : { id: params.model.id },
      system: params.system ?? null,
      tools: (params.tools ?? []).map(customTool),
      metadata: params.metadata ?? {},
      mcp_servers: [],
      skills: [],
      multiagent: null,
      execution_identity: { type: 'service_account' },
      archived_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    this.versions.set(agent.id, [agent]);
    return agent;
  }

  /** The latest version, or the one asked for; a 404 names what is missing. */
  retrieve(id: string, version?: number): BetaManagedAgentsAgent {
    const all = this.versions.get(id);
    if (!all) throw new SimulatedApiError('not_found_error', `agent ${id} not found`);
    if (version === undefined) return all[all.length - 1] as BetaManagedAgentsAgent;
    const found = all.find((a) => a.version === version);
    if (!found) throw new SimulatedApiError('not_found_error', `agent ${id} has no version ${version}`);
    return found;
  }

  update(id: string, params: AgentUpdate): BetaManagedAgentsAgent {
    const current = this.retrieve(id);
    if (current.archived_at) throw new SimulatedApiError('invalid_request_error', `agent ${id} is archived`);
    if (params.version !== undefined && params.version !== current.version) {
      throw new SimulatedApiError('invalid_request_error', `version: agent ${id} is at version ${current.version}, not ${params.version}`);
    }
    const metadata = { ...current.metadata };
    for (const [key, value] of Object.entries(params.metadata ?? {})) {
      if (value === null) delete metadata[key];
      else metadata[key] = value;
    }
    const next: BetaManagedAgentsAgent = {
      ...current,
      ...(params.name === undefined ? {} : { name: params.name }),
      ...(params.description === undefined ? {} : { description: params.description }),
      ...(params.system === undefined ? {} : { system: params.system }),
      ...(params.model === undefined ? {} : { model: typeof params.model === 'string' ? { id: params.model } : { id: params.model.id } }),
      ...(params.tools === undefined ? {} : { tools: (params.tools ?? []).map(customTool) }),
      metadata,
    };
    // An update that changes nothing keeps the version, as the API does.
    if (JSON.stringify({ ...next, updated_at: '' }) === JSON.stringify({ ...current, updated_at: '' })) return current;
    const versioned = { ...next, version: current.version + 1, updated_at: iso(this.now()) };
    this.versions.get(id)?.push(versioned);
    return versioned;
  }

  archive(id: string): BetaManagedAgentsAgent {
    const current = this.retrieve(id);
    if (current.archived_at) return current;
    const archived = { ...current, archived_at: iso(this.now()) };
    const all = this.versions.get(id) as BetaManagedAgentsAgent[];
    all[all.length - 1] = archived;
    return archived;
  }

  list(includeArchived: boolean): BetaManagedAgentsAgent[] {
    return [...this.versions.values()].map((all) => all[all.length - 1] as BetaManagedAgentsAgent).filter((a) => includeArchived || a.archived_at === null);
  }

  /** Every version, newest first (GET /v1/agents/{id}/versions). */
  history(id: string): BetaManagedAgentsAgent[] {
    this.retrieve(id);
    return [...(this.versions.get(id) ?? [])].reverse();
  }
}

function customTool(tool: { name: string; description: string; input_schema: Record<string, unknown> }): BetaManagedAgentsCustomTool {
  return { type: 'custom', name: tool.name, description: tool.description, input_schema: { ...tool.input_schema, type: 'object' } };
}
