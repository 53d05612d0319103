/**
 * `npm run user` as a function: add, list, passwd, role, disable, enable.
 * Passwords are read by the caller (standard input, or a hidden prompt), never
 * taken as an argument (arguments end up in shell history and process lists).
 * Changing a password or role, or disabling a user, ends their sessions.
 */
import { AuditLog } from '../editor/audit/auditLog.js';
import { passwordProblem } from '../editor/auth/passwords.js';
import { openDataFolder } from '../editor/data/dataFolder.js';
import {
  addUser,
  changePassword,
  changeRole,
  isRole,
  setDisabled,
  UserChangeError,
  type Actor,
} from '../editor/users/userAdmin.js';
import { normaliseUsername, UserStore, usernameProblem } from '../editor/users/users.js';

export const USER_USAGE = `Usage:
  npm run user -- add <username> --role editor|publisher|admin [--name "Full name"] [--email address]
  npm run user -- list
  npm run user -- passwd <username>
  npm run user -- role <username> editor|publisher|admin
  npm run user -- disable <username>
  npm run user -- enable <username>
The password is read from standard input when it is not a terminal, otherwise asked for (hidden).
`;

export interface UserCommandIo {
  /** Asks for a new password (twice at a terminal); returns it, or null when none was given. */
  readPassword(prompt: string): Promise<string | null>;
  now(): number;
}

export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

export async function runUserCommand(
  args: readonly string[],
  dataDir: string,
  io: UserCommandIo,
): Promise<CommandResult> {
  const [command, rawName, ...rest] = args;
  const fail = (message: string, code = 1): CommandResult => ({ code, out: '', err: `${message}\n` });
  if (!command || command === 'help' || command === '--help')
    return { code: command ? 0 : 2, out: command ? USER_USAGE : '', err: command ? '' : USER_USAGE };
  const dir = await openDataFolder(dataDir);
  const users = new UserStore(dir);
  const deps = { users, audit: new AuditLog(dir, io.now), now: io.now };

  if (command === 'list') {
    const all = await users.list();
    if (all.length === 0)
      return {
        code: 0,
        out: 'No users yet. Add the first with: npm run user -- add <username> --role admin\n',
        err: '',
      };
    const lines = all.map(
      (u) => `${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}\t${u.displayName}${u.email ? ` <${u.email}>` : ''}`,
    );
    return { code: 0, out: `${lines.join('\n')}\n`, err: '' };
  }
  if (!rawName) return fail(USER_USAGE, 2);
  const name = normaliseUsername(rawName);
  const nameProblem = usernameProblem(name);

  const options = parseOptions(rest);
  if (typeof options === 'string') return fail(options, 2);
  if (command === 'add') {
    if (nameProblem) return fail(`Not added: ${nameProblem}.`);
    const role = options.role;
    if (!isRole(role)) return fail('Not added: give a role, --role editor, --role publisher or --role admin.', 2);
    if (await users.find(name)) return fail(`Not added: there is already a user "${name}".`);
    const password = await askPassword(io, name);
    if (typeof password !== 'string') return password;
    try {
      const user = await addUser(deps, COMMAND_LINE, {
        name: rawName,
        role,
        password,
        ...(options.name !== undefined ? { displayName: options.name } : {}),
        ...(options.email !== undefined ? { email: options.email } : {}),
      });
      return {
        code: 0,
        out:
          `Added ${name} (${user.role}). ` +
          'They can sign in at /edit/ (restart the server if this is the first user).\n',
        err: '',
      };
    } catch (error) {
      if (error instanceof UserChangeError) return fail(`Not added: ${lowerFirst(error.message)}`);
      throw error;
    }
  }

  if (!(await users.find(name))) return fail(`There is no user "${name}". See them with: npm run user -- list`);
  switch (command) {
    case 'passwd': {
      const password = await askPassword(io, name);
      if (typeof password !== 'string') return password;
      await changePassword(deps, COMMAND_LINE, name, password);
      return {
        code: 0,
        out: `Changed the password of ${name}. Their sessions have ended: they sign in again with the new password.\n`,
        err: '',
      };
    }
    case 'role': {
      const role = rest.find((a) => !a.startsWith('--')) ?? options.role;
      if (!isRole(role)) return fail('Give the new role: editor, publisher or admin.', 2);
      await changeRole(deps, COMMAND_LINE, name, role);
      return {
        code: 0,
        out: `${name} is now ${role === 'publisher' ? 'a publisher' : `an ${role}`}. Their sessions have ended.\n`,
        err: '',
      };
    }
    case 'disable':
      await setDisabled(deps, COMMAND_LINE, name, true);
      return { code: 0, out: `Disabled ${name}: they cannot sign in, and their sessions have ended.\n`, err: '' };
    case 'enable':
      await setDisabled(deps, COMMAND_LINE, name, false);
      return { code: 0, out: `Enabled ${name}: they can sign in again.\n`, err: '' };
    default:
      return fail(`Unknown command "${command}".\n${USER_USAGE}`, 2);
  }
}

const COMMAND_LINE: Actor = { user: null, from: 'command line' };

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

async function askPassword(io: UserCommandIo, name: string): Promise<string | CommandResult> {
  const password = await io.readPassword(`New password for ${name}: `);
  if (password === null || password === '')
    return { code: 1, out: '', err: 'No password given: nothing was changed.\n' };
  const problem = passwordProblem(password, name);
  if (problem) return { code: 1, out: '', err: `Not changed: ${problem}.\n` };
  return password;
}

function parseOptions(args: readonly string[]): { role?: string; name?: string; email?: string } | string {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--(role|name|email)(?:=(.*))?$/.exec(arg);
    if (!m) {
      if (arg.startsWith('--')) return `Unknown option ${arg}.\n${USER_USAGE}`;
      continue;
    }
    const value = m[2] ?? args[++i];
    if (value === undefined) return `${arg} needs a value.`;
    options[m[1]!] = value;
  }
  return options;
}
