import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { CliCommand, CliOutput } from '../cli/command.js';
import { accessDatabase, callServer } from '../cli/embedded-access.js';
import { loadConfig } from '../platform/config/config.js';

interface DemoResult {
  organizationId: string;
  password: string;
  accounts: { email: string; role: string }[];
  patients: number;
}

/** `careline demo [--patients N]`: through the running server, or an in-process app on the database. */
export function demoCommand(io: CliOutput): CliCommand {
  return {
    name: 'demo',
    summary: 'Load a demo clinic: staff of every role and synthetic patients with histories',
    usage: 'careline demo [--patients N]',
    run: async (args) => {
      const { values } = parseArgs({ args: [...args], options: { patients: { type: 'string' } } });
      const patients = values.patients === undefined ? undefined : Number(values.patients);
      if (patients !== undefined && (!Number.isInteger(patients) || patients < 1 || patients > 200)) {
        io.err('careline demo: --patients must be a whole number from 1 to 200.');
        return 2;
      }
      const body = patients === undefined ? {} : { patients };
      const config = loadConfig();
      const access = await accessDatabase(config, 'careline demo');
      let status: number;
      let json: unknown;
      if (access.via === 'server') {
        try {
          json = JSON.parse((await callServer(access.server, 'POST', '/demo', body)).toString('utf8'));
          status = 201;
        } catch (err) {
          io.err(`careline demo: ${(err as Error).message}`);
          return 1;
        }
      } else {
        const { buildApp } = await import('../app.js');
        const token = randomBytes(32).toString('hex');
        const app = await buildApp({ ...config, jobs: false, logLevel: 'warn' }, { db: access.db, localAdminToken: token });
        try {
          const r = await app.inject({ method: 'POST', url: '/admin/local/demo', payload: body, headers: { authorization: `Bearer ${token}` } });
          status = r.statusCode;
          json = r.json();
        } finally {
          await app.close();
          await access.release();
        }
      }
      if (status !== 201) {
        const oo = json as { issue?: { diagnostics?: string }[] };
        io.err(`careline demo: ${oo.issue?.map((i) => i.diagnostics ?? '').join(' ') ?? 'failed'}`);
        return 1;
      }
      const demo = json as DemoResult;
      io.out(`Demo clinic loaded: Organization/${demo.organizationId}, ${String(demo.patients)} patients.`);
      io.out(`Every demo account's password (shown once): ${demo.password}`);
      io.out('Staff enrol TOTP at their first sign-in.');
      for (const a of demo.accounts) io.out(`  ${a.role.padEnd(14)} ${a.email}`);
      return 0;
    },
  };
}
