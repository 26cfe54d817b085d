import { randomBytes } from 'node:crypto';
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import type { z } from 'zod';
import { SimulatedApiError } from '../apiErrors';
import type { environmentCreateSchema } from './requestBodies';
import { iso } from './wirePages';

/**
 * Self-hosted environments and their keys. On the platform a person generates an environment's key
 * in the Console; here one is made with the environment and handed out by `environmentKey()` (the
 * simulator's Console), shaped like a real one so redaction treats it as the secret it is.
 */
export class EnvironmentStore {
  private readonly environments = new Map<string, BetaEnvironment>();
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    private readonly nextId: () => string,
  ) {}

  create(params: z.infer<typeof environmentCreateSchema>): BetaEnvironment {
    if (params.config?.type === 'cloud') throw new SimulatedApiError('invalid_request_error', 'config.type: the simulator plays self_hosted environments only');
    const at = iso(this.now());
    const environment: BetaEnvironment = {
      id: this.nextId(),
      type: 'environment',
      name: params.name,
      description: params.description ?? null,
      config: { type: 'self_hosted' },
      metadata: params.metadata ?? {},
      scope: 'organization',
      archived_at: null,
      created_at: at,
      updated_at: at,
    };
    this.environments.set(environment.id, environment);
    this.keys.set(environment.id, `sk-ant-oat01-sim${randomBytes(18).toString('base64url')}`);
    return environment;
  }

  retrieve(id: string): BetaEnvironment {
    const environment = this.environments.get(id);
    if (!environment) throw new SimulatedApiError('not_found_error', `environment ${id} not found`);
    return environment;
  }

  /** A live (not archived) environment, for creating sessions and polling work. */
  live(id: string): BetaEnvironment {
    const environment = this.retrieve(id);
    if (environment.archived_at) throw new SimulatedApiError('invalid_request_error', `environment ${id} is archived`);
    return environment;
  }

  archive(id: string): BetaEnvironment {
    const environment = this.retrieve(id);
    if (environment.archived_at) return environment;
    const archived = { ...environment, archived_at: iso(this.now()), updated_at: iso(this.now()) };
    this.environments.set(id, archived);
    return archived;
  }

  delete(id: string): void {
    this.retrieve(id);
    this.environments.delete(id);
    this.keys.delete(id);
  }

  list(includeArchived: boolean): BetaEnvironment[] {
    return [...this.environments.values()].filter((e) => includeArchived || e.archived_at === null);
  }

  /** The environment's key, as the Console would show it. */
  key(id: string): string {
    this.retrieve(id);
    return this.keys.get(id) as string;
  }

  /** The environment a bearer credential is the key of, if any. */
  environmentOfKey(credential: string): string | undefined {
    for (const [id, key] of this.keys) if (key === credential) return id;
    return undefined;
  }
}
