/** A `careline` sub-command. Capabilities add theirs to the list in commands.ts. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const stdio: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
