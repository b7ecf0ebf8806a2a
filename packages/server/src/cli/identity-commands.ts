import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config/config.js';
import { accessDatabase, callServer } from './embedded-access.js';
import type { CliCommand, CliOutput } from './command.js';

/**
 * `careline users|orgs|clients`: through the running server's loopback routes when it holds the
 * embedded database, else through an app built in-process on the database (same routes, injected).
 */
async function callIdentity(purpose: string, path: string, body: unknown): Promise<{ status: number; json: unknown; via: string }> {
  const config = loadConfig();
  const access = await accessDatabase(config, purpose);
  if (access.via === 'server') {
    const raw = await callServer(access.server, 'POST', `/identity${path}`, body);
    return { status: 200, json: JSON.parse(raw.toString('utf8')) as unknown, via: ` (through the running server, pid ${access.server.pid})` };
  }
  const { buildApp } = await import('../app.js');
  const token = randomBytes(32).toString('hex');
  const app = await buildApp({ ...config, jobs: false, logLevel: 'warn' }, { db: access.db, localAdminToken: token });
  try {
    const r = await app.inject({ method: 'POST', url: `/admin/local/identity${path}`, payload: body as Record<string, unknown>, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, json: r.json(), via: '' };
  } finally {
    await app.close();
    await access.release();
  }
}

function problem(json: unknown): string {
  const oo = json as { issue?: { diagnostics?: string }[] };
  return oo.issue?.map((i) => i.diagnostics ?? '').join(' ') ?? JSON.stringify(json);
}

function sub(args: readonly string[]): [string | undefined, string[]] {
  return [args[0], args.slice(1)];
}

export function identityCommands(io: CliOutput): CliCommand[] {
  return [
    {
      name: 'users',
      summary: 'Add a user (with its FHIR Patient/Practitioner) or disable one',
      usage: 'careline users add|disable …',
      run: async (args) => {
        const [action, rest] = sub(args);
        if (action === 'add') {
          const { values: v } = parseArgs({
            args: rest,
            options: {
              email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' },
              given: { type: 'string' }, family: { type: 'string' }, 'birth-date': { type: 'string' }, org: { type: 'string' },
            },
          });
          if (!v.email || !v.password || !v.role) {
            io.err('usage: careline users add --email E --password P --role R [--given G --family F --birth-date YYYY-MM-DD] [--org ORG]');
            return 2;
          }
          const body = { email: v.email, password: v.password, role: v.role, given: v.given, family: v.family, birthDate: v['birth-date'], org: v.org };
          const r = await callIdentity('careline users add', '/users', body);
          if (r.status >= 400) {
            io.err(`careline users add: ${problem(r.json)}`);
            return 1;
          }
          const u = r.json as { id: string; fhirUser: string | null; organizationId: string };
          io.out(`User ${u.id} created${r.via}: ${u.fhirUser ?? 'no FHIR resource'}, organization ${u.organizationId}.`);
          return 0;
        }
        if (action === 'disable') {
          const { values: v } = parseArgs({ args: rest, options: { email: { type: 'string' } } });
          if (!v.email) {
            io.err('usage: careline users disable --email E');
            return 2;
          }
          const r = await callIdentity('careline users disable', '/users/disable', { email: v.email });
          if (r.status >= 400) {
            io.err(`careline users disable: ${problem(r.json)}`);
            return 1;
          }
          io.out(`User ${(r.json as { id: string }).id} disabled; their sessions have ended${r.via}.`);
          return 0;
        }
        io.err('usage: careline users add|disable …');
        return 2;
      },
    },
    {
      name: 'orgs',
      summary: 'Add a clinic (a FHIR Organization) and print its id',
      usage: 'careline orgs add NAME',
      run: async (args) => {
        const [action, rest] = sub(args);
        const name = rest.join(' ').trim();
        if (action !== 'add' || !name) {
          io.err('usage: careline orgs add NAME');
          return 2;
        }
        const r = await callIdentity('careline orgs add', '/orgs', { name });
        if (r.status >= 400) {
          io.err(`careline orgs add: ${problem(r.json)}`);
          return 1;
        }
        io.out((r.json as { id: string }).id);
        return 0;
      },
    },
    {
      name: 'clients',
      summary: 'Add a system client (OAuth client credentials) and print its id and secret',
      usage: 'careline clients add --scope S [--org ORG]',
      run: async (args) => {
        const [action, rest] = sub(args);
        const { values: v } = parseArgs({ args: rest, options: { scope: { type: 'string', multiple: true }, org: { type: 'string' } } });
        const scopes = (v.scope ?? []).flatMap((s) => s.split(/[ ,]+/)).filter((s) => s.length > 0);
        if (action !== 'add' || scopes.length === 0) {
          io.err('usage: careline clients add --scope S [--org ORG]');
          return 2;
        }
        const r = await callIdentity('careline clients add', '/clients', { scopes, org: v.org });
        if (r.status >= 400) {
          io.err(`careline clients add: ${problem(r.json)}`);
          return 1;
        }
        const c = r.json as { clientId: string; clientSecret: string };
        io.out(`client_id=${c.clientId}`);
        io.out(`client_secret=${c.clientSecret}`);
        io.err('Keep the secret safe: it is shown only now.');
        return 0;
      },
    },
  ];
}
