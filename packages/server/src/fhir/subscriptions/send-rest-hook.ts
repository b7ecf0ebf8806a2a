import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { EndpointRefusedError, guardedLookup, isAllowListed, isBlockedAddress, parseEndpoint } from './endpoint-guard.js';

export interface RestHookDelivery {
  readonly endpoint: string;
  /** channel.header: "Name: value" lines (R4 Subscription.channel.header). */
  readonly headers: readonly string[];
  /** The notification body; undefined sends an empty POST (R4: no channel.payload). */
  readonly body: string | undefined;
  readonly allowedHosts: readonly string[];
  readonly timeoutMs: number;
}

/** POSTs one notification; resolves on 2xx, rejects otherwise (the job queue retries with backoff). Never follows redirects. */
export function sendRestHook(d: RestHookDelivery): Promise<number> {
  const url = parseEndpoint(d.endpoint);
  const allowListed = isAllowListed(url, d.allowedHosts);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host) && !allowListed) {
    return Promise.reject(new EndpointRefusedError('the endpoint is a private or local address'));
  }
  const headers: Record<string, string> = { 'user-agent': 'Careline-Subscriptions/1' };
  for (const line of d.headers) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  if (d.body !== undefined) headers['content-type'] = 'application/fhir+json';
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: d.timeoutMs, lookup: guardedLookup(allowListed) }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve(status);
      else reject(new Error(`the endpoint answered ${status}`));
    });
    req.on('timeout', () => req.destroy(new Error('the endpoint did not answer in time')));
    req.on('error', reject);
    req.end(d.body);
  });
}
