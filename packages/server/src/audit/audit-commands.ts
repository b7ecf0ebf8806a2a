import { parseArgs } from 'node:util';
import { accessDatabase, callServer } from '../cli/embedded-access.js';
import type { CliCommand, CliOutput } from '../cli/command.js';
import { loadConfig } from '../platform/config/config.js';
import { AuditTrail, type VerifyReport } from '../platform/audit/audit-trail.js';

function describe(r: VerifyReport, io: CliOutput, via: string): number {
  const pending = r.unsealed > 0 ? ` ${r.unsealed} row(s) were still unsealed (transactions in progress).` : '';
  if (r.ok) {
    io.out(`Audit trail intact: ${r.checked} sealed event(s) verified ${via}.${pending}`);
    return 0;
  }
  const b = r.firstBreak;
  const why =
    b?.reason === 'missing'
      ? 'one or more rows before it are missing (deleted)'
      : b?.reason === 'relinked'
        ? 'its link to the previous row was changed'
        : 'its content does not match its hash (altered)';
  io.err(`AUDIT TRAIL BROKEN at seq ${b?.seq ?? '?'} (id ${b?.id ?? '?'}, chain position ${b?.chainPos ?? '?'}): ${why}. ${r.checked} row(s) before it verified ${via}.`);
  return 1;
}

/** `careline audit verify`: seals pending rows, walks the hash chain, exit 1 at the first break. */
export function auditCommands(io: CliOutput): CliCommand[] {
  return [
    {
      name: 'audit',
      summary: 'Verify the tamper-evident audit trail (exit 1 names the first altered or missing row)',
      usage: 'careline audit verify',
      run: async (args) => {
        const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
        if (positionals[0] !== 'verify' || positionals.length !== 1) {
          io.err('usage: careline audit verify');
          return 2;
        }
        const access = await accessDatabase(loadConfig(), 'careline audit verify');
        if (access.via === 'server') {
          const report = JSON.parse((await callServer(access.server, 'POST', '/audit/verify')).toString('utf8')) as VerifyReport;
          return describe(report, io, `through the running server (pid ${access.server.pid})`);
        }
        try {
          return describe(await new AuditTrail(access.db).verify(), io, 'directly');
        } finally {
          await access.release();
        }
      },
    },
  ];
}
