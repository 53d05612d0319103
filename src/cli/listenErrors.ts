/**
 * Why a server could not start listening, said so that someone who has never
 * heard of EADDRINUSE knows what to do: which port, what probably holds it,
 * and the command to start on another one.
 */

export interface ListenAttempt {
  port: number;
  host: string;
  /** The command the person ran, e.g. "npm run dev". */
  command: string;
}

/** A plain explanation of a listen error, or null for an error of another kind. */
export function explainListenError(error: unknown, attempt: ListenAttempt): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const other = attempt.port === 3001 ? 3002 : 3001;
  const elsewhere =
    `start on another port instead:\n  PORT=${other} ${attempt.command}\n` +
    `(in Windows PowerShell: $env:PORT=${other}; ${attempt.command})\n`;
  switch (code) {
    case 'EADDRINUSE':
      return (
        `Port ${attempt.port} is already in use: perhaps another preview (npm run dev) or the site (npm start) ` +
        `is still running, in another terminal window.\nStop it there with Ctrl+C, or ${elsewhere}`
      );
    case 'EACCES':
      return (
        `Port ${attempt.port} needs administrator rights on this computer: choose a port from 1024 up, or ` +
        `${elsewhere}`
      );
    case 'EADDRNOTAVAIL':
      return (
        `HOST=${attempt.host} is not an address of this computer: leave HOST unset to serve on this computer ` +
        `only, or set it to 0.0.0.0 to serve on every network it is connected to.\n`
      );
    default:
      return null;
  }
}
