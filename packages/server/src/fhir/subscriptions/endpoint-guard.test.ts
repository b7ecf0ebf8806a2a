import { describe, expect, it } from 'vitest';
import { EndpointRefusedError, isAllowListed, isBlockedAddress, parseEndpoint } from './endpoint-guard.js';
import { sendRestHook } from './send-rest-hook.js';

describe('rest-hook endpoint guard', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1',
  ])('refuses %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])('accepts public %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('refuses non-http schemes and credentials in the URL', () => {
    expect(() => parseEndpoint('file:///etc/passwd')).toThrow(EndpointRefusedError);
    expect(() => parseEndpoint('gopher://x')).toThrow(EndpointRefusedError);
    expect(() => parseEndpoint('https://user:pw@example.org/hook')).toThrow(/credentials/);
    expect(parseEndpoint('https://example.org/hook').hostname).toBe('example.org');
  });

  it('matches allow-listed hosts with or without port', () => {
    expect(isAllowListed(new URL('http://127.0.0.1:9999/x'), ['127.0.0.1'])).toBe(true);
    expect(isAllowListed(new URL('http://127.0.0.1:9999/x'), ['127.0.0.1:9999'])).toBe(true);
    expect(isAllowListed(new URL('http://127.0.0.1:9999/x'), ['127.0.0.1:80'])).toBe(false);
  });

  it('refuses to send to a loopback literal or a name resolving to loopback unless allow-listed', async () => {
    const base = { headers: [], body: undefined, allowedHosts: [], timeoutMs: 2000 };
    await expect(sendRestHook({ ...base, endpoint: 'http://127.0.0.1:9/hook' })).rejects.toThrow(EndpointRefusedError);
    await expect(sendRestHook({ ...base, endpoint: 'http://localhost:9/hook' })).rejects.toThrow(/private or local/);
    await expect(sendRestHook({ ...base, endpoint: 'http://[::1]:9/hook' })).rejects.toThrow(EndpointRefusedError);
  });
});
