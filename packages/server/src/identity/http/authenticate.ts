import cookie from '@fastify/cookie';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { Platform } from '../../platform/platform.js';
import { csrfTokenFor, hashToken, parseToken } from '../credentials/tokens.js';
import type { Principal } from '../principal.js';
import { SessionRepository, type ResolvedSession } from '../storage/session-repository.js';
import { originAllowed } from './origin.js';
import { SocketRegistry, type ClosableSocket } from './socket-registry.js';

export const SESSION_COOKIE = 'careline_session';
/** Sent by clients (browsers) that authenticate with the cookie, on unsafe methods. */
export const CSRF_HEADER = 'x-csrf-token';
/** Sub-protocol prefix carrying a bearer token on WebSocket upgrades (browsers cannot set headers). */
export const WS_BEARER_PROTOCOL = 'careline.bearer';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Another capability's bearer credentials (monitoring devices' `cld_` tokens): `matches` says the
 * value is shaped like one of theirs, `resolve` finds its principal (undefined: unknown or revoked,
 * answered 401 like our own tokens).
 */
export interface BearerResolver {
  matches(raw: string): boolean;
  resolve(raw: string): Promise<Principal | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set instead of `principal` for a staff member's TOTP enrolment-only token. */
    enrolment?: { readonly accountId: string; readonly sessionId: string };
    /** The session cookie's token, when the request authenticated with it (for its CSRF token). */
    sessionCookie?: string;
  }
  interface FastifyContextConfig {
    /** Public routes that act on no session (login, password reset…): no CSRF token needed. */
    csrfExempt?: boolean;
  }
}

function bearerFrom(request: FastifyRequest, isWebSocket: boolean): string | undefined {
  const header = request.headers.authorization;
  // Other schemes (HTTP Basic on /oauth2/token) are not ours to judge here.
  if (header !== undefined && /^Bearer(\s|$)/i.test(header)) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    return m?.[1] ?? '';
  }
  if (!isWebSocket) return undefined;
  const query = request.query as Record<string, unknown> | undefined;
  if (typeof query?.access_token === 'string') return query.access_token;
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const carrying = protocols.find((p) => p.startsWith(`${WS_BEARER_PROTOCOL}.`));
  return carrying?.slice(WS_BEARER_PROTOCOL.length + 1);
}

function toPrincipal(s: ResolvedSession, via: 'cookie' | 'bearer'): Principal | undefined {
  if (s.kind === 'client' && s.client_id) {
    return { kind: 'client', clientId: s.client_id, scopes: s.scopes ?? [], organizationId: s.client_org, sessionId: s.id };
  }
  if (s.kind === 'user' && s.account_id && s.email) {
    return { kind: 'user', accountId: s.account_id, email: s.email, fhirUser: s.fhir_user, memberships: s.memberships, sessionId: s.id, via };
  }
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authenticates every request — REST, /fhir/R4 and the /ws upgrade — from a bearer token or the
 * session cookie, with one indexed query, and sets `request.principal`. A bearer token of ours that
 * is unknown, expired or revoked is answered 401 at once (RFC 6750 §3.1); a stale cookie just leaves
 * the request anonymous.
 * Cookie-authenticated unsafe requests need the CSRF token and, when sent, a same-origin Origin.
 */
export class Authenticator {
  readonly sockets: SocketRegistry;
  private readonly sessions: SessionRepository;
  private readonly resolvers: BearerResolver[] = [];

  constructor(private readonly platform: Platform, private readonly now: () => Date = () => new Date()) {
    this.sessions = new SessionRepository(platform.db);
    this.sockets = new SocketRegistry(platform.bus);
  }

  async install(app: FastifyInstance): Promise<void> {
    await app.register(cookie);
    app.addHook('onRequest', async (request) => this.authenticate(request));
  }

  /** Registers another capability's bearer credentials (before the app is ready). */
  addBearerResolver(resolver: BearerResolver): void {
    this.resolvers.push(resolver);
  }

  private async resolve(via: 'bearer' | 'cookie', token: string): Promise<ResolvedSession | undefined> {
    const now = this.now();
    const idleMs = this.platform.config.session.idleTimeoutSeconds * 1000;
    const s = await this.sessions.resolve(via, hashToken(token), now, new Date(now.getTime() - idleMs));
    // Sliding idle timeout (OWASP ASVS V3.3.2), written at most every min(60 s, idle/4) to keep requests read-only.
    if (s && s.kind !== 'client' && now.getTime() - s.last_seen_at.getTime() >= Math.min(60_000, idleMs / 4)) await this.sessions.touch(s.id, now);
    return s;
  }

  private async authenticate(request: FastifyRequest): Promise<void> {
    const isWebSocket = request.routeOptions.url === '/ws';
    // A bearer value not shaped like ours (the CLI's local-admin token, a metrics token) belongs to
    // the route that checks it: left alone here, and anonymous for everything else.
    const raw = bearerFrom(request, isWebSocket);
    const token = parseToken(raw);
    const other = token === undefined && raw !== undefined ? this.resolvers.find((r) => r.matches(raw)) : undefined;
    if (other && raw !== undefined) {
      const principal = await other.resolve(raw);
      if (!principal) {
        throw new CarelineError('unauthorized', [{ diagnostics: 'The credential is not valid or has been revoked.' }], { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      request.principal = principal;
      return;
    }
    if (token !== undefined) {
      const s = await this.resolve('bearer', token);
      if (!s) {
        throw new CarelineError('unauthorized', [{ diagnostics: 'The access token is not valid or has expired.' }], {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      if (s.kind === 'enrolment' && s.account_id) {
        request.enrolment = { accountId: s.account_id, sessionId: s.id };
        return;
      }
      request.principal = toPrincipal(s, 'bearer');
      return;
    }
    const cookieToken = parseToken(request.cookies[SESSION_COOKIE]);
    if (!cookieToken) return;
    const s = await this.resolve('cookie', cookieToken);
    if (s?.kind !== 'user') return;
    if (UNSAFE.has(request.method) && request.routeOptions.config.csrfExempt !== true) {
      const sent = request.headers[CSRF_HEADER];
      const ok = typeof sent === 'string' && sameToken(sent, csrfTokenFor(cookieToken)) && originAllowed(request, this.platform.config);
      if (!ok) throw new CarelineError('csrf-failed');
    }
    request.sessionCookie = cookieToken;
    request.principal = toPrincipal(s, 'cookie');
  }

  /** preValidation of the /ws route: refuses foreign origins (403) and anonymous upgrades (401). */
  authorizeWebSocket(request: FastifyRequest): void {
    if (!originAllowed(request, this.platform.config, this.platform.config.corsOrigins)) {
      throw new CarelineError('forbidden', [{ diagnostics: 'WebSocket connections are accepted from this site only.' }]);
    }
    if (!request.principal) throw new CarelineError('unauthorized');
  }

  trackWebSocket(request: FastifyRequest, socket: ClosableSocket): void {
    if (request.principal) this.sockets.track(request.principal, socket);
  }
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure under TLS (OWASP ASVS V3.4). */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, maxAgeSeconds: number): void {
  void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/', maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/' });
}
