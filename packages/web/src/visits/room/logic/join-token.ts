/**
 * Join links carry their token in the fragment (`/visit/join#t=<token>`): a fragment is never sent
 * to the server, so it stays out of access logs, proxies and Referer headers (RFC 3986 §3.5).
 */

/** The contract's bounds (ZJoinLinkRequest) and the URL-safe alphabet tokens are written in. */
const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

export function readJoinToken(hash: string): string | undefined {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('t')?.trim();
  return token && TOKEN.test(token) ? token : undefined;
}

/** The same address without the token, for history.replaceState (so it is not left in history or bookmarks). */
export function withoutToken(pathname: string, search: string, hash: string): string {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  params.delete('t');
  const rest = params.toString();
  return `${pathname}${search}${rest ? `#${rest}` : ''}`;
}
