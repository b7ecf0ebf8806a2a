import { createHash } from 'node:crypto';
import type { Platform } from '../../platform/platform.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { systemContext } from '../access/access-policy.js';
import { parseQuery } from '../store/find-matches.js';
import type { FhirChange, FhirStore } from '../store/fhir-store.js';
import type { FhirResource } from '../store/resource-types.js';
import { SearchRepository } from '../storage/search-repository.js';
import { EndpointRefusedError, parseEndpoint } from './endpoint-guard.js';
import { sendRestHook } from './send-rest-hook.js';

/**
 * R4 Subscriptions (https://hl7.org/fhir/R4/subscription.html) driven by the store's commits:
 * `rest-hook` notifications go through the job queue (retries with backoff, survive restarts);
 * `websocket` notifications are published on the realtime bus as `fhir.subscription.<id>`, which the
 * /ws relay delivers to the web app. Matching runs on the instance that committed the write.
 * Not yet: binding a subscription to its owner's access rights (identity issue) — criteria are
 * evaluated with system access, so only trusted callers should be allowed to create Subscriptions.
 */
export const REST_HOOK_JOB = 'fhir-rest-hook';
const SUPPORTED_CHANNELS = new Set(['rest-hook', 'websocket']);

interface Channel {
  type?: string;
  endpoint?: string;
  payload?: string;
  header?: string[];
}
interface SubscriptionResource extends FhirResource {
  status?: string;
  criteria?: string;
  channel?: Channel;
  end?: string;
}

interface RestHookJob {
  subscriptionId: string;
  resourceType: string;
  id: string;
  versionId: number;
}

function refuse(message: string, element: string): never {
  throw new CarelineError('unprocessable', [{ diagnostics: message, expression: [`Subscription.${element}`] }]);
}

export class SubscriptionManager {
  private active: SubscriptionResource[] | undefined;
  private readonly ctx = systemContext('subscriptions');

  constructor(
    private readonly platform: Platform,
    private readonly store: FhirStore,
    private readonly allowedHosts: readonly string[],
  ) {}

  install(): void {
    // Checked on write: supported channel, parseable criteria, a usable endpoint; 'requested' becomes 'active'.
    this.store.addWriteHook('Subscription', (r) => this.accept(r));
    this.store.onCommitted((change) => void this.onChange(change).catch((err: unknown) => this.platform.log.warn({ reason: (err as Error).message }, 'subscription matching failed')));
    this.platform.jobs.define<RestHookJob>({ name: REST_HOOK_JOB, retryLimit: 5, handler: (job) => this.deliver(job) });
  }

  private accept(s: SubscriptionResource): SubscriptionResource {
    const type = s.channel?.type ?? '';
    if (!SUPPORTED_CHANNELS.has(type)) refuse(`Channel type "${type}" is not supported; use rest-hook or websocket.`, 'channel.type');
    const criteria = s.criteria ?? '';
    const [resourceType = '', query = ''] = criteria.split('?', 2);
    try {
      parseQuery(resourceType, [...new URLSearchParams(query)], { lenient: false });
    } catch (err) {
      refuse(`The criteria cannot be used: ${(err as Error).message}`, 'criteria');
    }
    if (type === 'rest-hook') {
      try {
        parseEndpoint(s.channel?.endpoint ?? '');
      } catch (err) {
        refuse(`channel.endpoint: ${err instanceof EndpointRefusedError ? err.reason : 'invalid'}.`, 'channel.endpoint');
      }
    }
    return s.status === 'requested' ? { ...s, status: 'active' } : s;
  }

  private async activeSubscriptions(): Promise<SubscriptionResource[]> {
    if (this.active) return this.active;
    const { rows } = await this.platform.db.query<{ content: string }>(
      "SELECT content FROM fhir_resource WHERE resource_type = 'Subscription' AND NOT deleted",
    );
    const now = Date.now();
    this.active = rows
      .map((r) => JSON.parse(r.content) as SubscriptionResource)
      .filter((s) => s.status === 'active' && (!s.end || Date.parse(s.end) > now));
    return this.active;
  }

  private async onChange(change: FhirChange): Promise<void> {
    if (change.resourceType === 'Subscription') {
      this.active = undefined; // re-read on next change
      return;
    }
    if (change.method === 'DELETE') return;
    for (const s of await this.activeSubscriptions()) {
      const criteria = s.criteria ?? '';
      const [type = '', query = ''] = criteria.split('?', 2);
      if (type !== change.resourceType || !s.id) continue;
      if (!(await this.matches(type, query, change.id))) continue;
      if (s.channel?.type === 'websocket') {
        await this.platform.bus.publish(`fhir.subscription.${s.id}`, { subscription: s.id, resourceType: change.resourceType, id: change.id, versionId: change.versionId });
      } else {
        // A deterministic job id makes a repeated notification of the same version a no-op.
        const key = createHash('sha256').update(`${s.id}|${change.resourceType}/${change.id}/${change.versionId}`).digest('hex');
        await this.platform.jobs.send(REST_HOOK_JOB, { subscriptionId: s.id, resourceType: change.resourceType, id: change.id, versionId: change.versionId }, { singletonKey: key });
      }
    }
  }

  private async matches(resourceType: string, query: string, id: string): Promise<boolean> {
    const req = parseQuery(resourceType, [...new URLSearchParams(query)], { lenient: true });
    const rows = await new SearchRepository(this.platform.db).page(
      resourceType,
      [...req.filters, { kind: 'id', values: [id], not: false }],
      [],
      () => ({ kind: 'all' }),
      { after: undefined, backwards: false, limit: 1 },
    );
    return rows.length > 0;
  }

  private async deliver(job: RestHookJob): Promise<void> {
    let s: SubscriptionResource;
    try {
      s = (await this.store.read(this.ctx, 'Subscription', job.subscriptionId)).resource;
    } catch {
      return; // deleted since: nothing to deliver
    }
    if (s.status !== 'active' || s.channel?.type !== 'rest-hook' || !s.channel.endpoint) return;
    let body: string | undefined;
    if (s.channel.payload) {
      try {
        body = (await this.store.vread(this.ctx, job.resourceType, job.id, String(job.versionId))).json;
      } catch {
        return; // that version is gone: nothing to deliver
      }
    }
    await sendRestHook({ endpoint: s.channel.endpoint, headers: s.channel.header ?? [], body, allowedHosts: this.allowedHosts, timeoutMs: 10_000 });
  }
}
