/**
 * Mail links carry their token in the URL fragment (`#token=…`, docs/API.md) so it never reaches a
 * server log or a Referer. Read it once and drop it from the address bar and history.
 */
export function takeLinkToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}
