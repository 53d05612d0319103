/**
 * What every command-line entry point shares: its section of the
 * configuration from the environment (a bad value is one clear line and exit
 * code 2), an exit code from the command, and one readable line for an
 * unexpected failure. The only place, with the entry points themselves, that
 * calls process.exit.
 */
import { ConfigError, loadConfig, type ConfigSection, type ConfigSections } from '../config/config.js';
import { printable } from '../content/printable.js';

/**
 * Runs a command. It returns an exit code, or null when it keeps running
 * (a server), in which case it exits later by itself.
 */
export function runCommand<S extends ConfigSection>(
  name: string,
  section: S,
  command: (config: ConfigSections[S]) => Promise<number | null> | number | null,
): void {
  let config: ConfigSections[S];
  try {
    config = loadConfig(section, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  Promise.resolve()
    .then(() => command(config))
    .then(
      (code) => {
        if (code !== null) process.exit(code);
      },
      (error: unknown) => {
        // The message may quote a file name from the content folder.
        process.stderr.write(`${name} failed: ${printable(error instanceof Error ? error.message : String(error))}\n`);
        process.exit(1);
      },
    );
}
