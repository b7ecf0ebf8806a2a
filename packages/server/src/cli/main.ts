import { ConfigError } from '../platform/config/config.js';
import { DataDirBusyError } from '../platform/db/data-dir-lock.js';
import { DatabaseNewerThanCodeError } from '../platform/db/migrate.js';
import { UnsafeDurabilityError } from '../platform/db/durability.js';
import { stdio, type CliCommand, type CliOutput } from './command.js';
import { platformCommands } from './platform-commands.js';
import { identityCommands } from './identity-commands.js';
import { auditCommands } from '../audit/audit-commands.js';
import { demoCommand } from '../demo/demo-command.js';

/** Every command of `careline`; capabilities append theirs here. */
export function allCommands(io: CliOutput): CliCommand[] {
  return [...platformCommands(io), ...identityCommands(io), ...auditCommands(io), demoCommand(io)];
}

function help(commands: readonly CliCommand[], io: CliOutput): void {
  io.out('Usage: careline <command> [options]\n');
  for (const c of commands) io.out(`  ${c.usage.padEnd(32)} ${c.summary}`);
  io.out('\nConfiguration comes from environment variables (docs/CONFIG.md).');
}

export async function main(argv: readonly string[], io: CliOutput = stdio): Promise<number> {
  const commands = allCommands(io);
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(commands, io);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`careline: unknown command "${name}". Run "careline help".`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // Known operator mistakes get their message alone; anything else gets a short line too, never a dump of config.
    if (err instanceof ConfigError || err instanceof DataDirBusyError || err instanceof DatabaseNewerThanCodeError || err instanceof UnsafeDurabilityError) {
      io.err(`careline ${name}: ${err.message}`);
      return 1;
    }
    io.err(`careline ${name} failed: ${(err as Error).message}`);
    return 1;
  }
}
