/**
 * Changing users, with the same rules wherever it is done: `npm run user`
 * on the server and the admins' pages of the editor. Names are normalised
 * and checked, passwords follow the password rules and are kept only as
 * Argon2id hashes, and changing a password or role, or disabling someone,
 * moves their session epoch on, which ends every session they have. Each
 * change is one line of the audit log, naming who made it and from where.
 */
import type { AuditEntry, AuditEvent, AuditLog } from '../audit/auditLog.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { normaliseUsername, ROLES, usernameProblem, type Role, type User, type UserStore } from './users.js';

/** A change refused, with a sentence saying why (and what to do). */
export class UserChangeError extends Error {
  constructor(
    message: string,
    /** The form field the problem is about. */
    readonly field: 'username' | 'role' | 'password' | 'displayName' | 'email' | null = null,
  ) {
    super(message);
  }
}

/** Who makes a change: an admin signed in to the editor, or someone at the server's command line. */
export interface Actor {
  /** The admin's username; null at the command line. */
  user: string | null;
  /** The client's address, or "command line". */
  from: string;
}

export interface UserAdminDeps {
  users: UserStore;
  audit: AuditLog;
  now: () => number;
}

export interface NewUser {
  name: string;
  role: string;
  password: string;
  displayName?: string;
  email?: string;
}

const MAX_DISPLAY_NAME = 80;
const MAX_EMAIL = 254;
/** Enough of an address to put in a commit's author line; mail is never sent to it. */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export async function addUser(deps: UserAdminDeps, actor: Actor, input: NewUser): Promise<User> {
  const name = normaliseUsername(input.name);
  const nameProblem = usernameProblem(name);
  if (nameProblem) throw new UserChangeError(`${nameProblem}.`, 'username');
  if (!isRole(input.role)) throw new UserChangeError('Choose a role: editor, publisher or admin.', 'role');
  const displayName = (input.displayName ?? '').trim() || input.name.trim();
  if ([...displayName].length > MAX_DISPLAY_NAME || /[\u0000-\u001f\u007f<>]/.test(displayName))
    throw new UserChangeError(
      `A full name is at most ${MAX_DISPLAY_NAME} characters, without "<" or ">".`,
      'displayName',
    );
  const email = (input.email ?? '').trim();
  if (email !== '' && (email.length > MAX_EMAIL || !EMAIL.test(email)))
    throw new UserChangeError('Enter an email address in the correct format, like name@example.org.', 'email');
  if (await deps.users.find(name)) throw new UserChangeError(`There is already a user "${name}".`, 'username');
  const problem = passwordProblem(input.password, name);
  if (problem) throw new UserChangeError(`${problem}.`, 'password');
  const now = new Date(deps.now()).toISOString();
  const user: User = {
    name,
    displayName,
    email: email || `${name}@users.invalid`,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    disabled: false,
    sessionEpoch: 0,
    created: now,
    updated: now,
  };
  await deps.users.update((all) => {
    if (all.some((u) => u.name === name)) throw new UserChangeError(`There is already a user "${name}".`, 'username');
    return [...all, user];
  });
  await record(deps.audit, actor, 'user-added', name, `role ${user.role}`);
  return user;
}

export async function changePassword(deps: UserAdminDeps, actor: Actor, name: string, password: string) {
  const user = await existing(deps, name);
  const problem = passwordProblem(password, user.name);
  if (problem) throw new UserChangeError(`${problem}.`, 'password');
  const passwordHash = await hashPassword(password);
  return change(deps, actor, user, { passwordHash }, 'password-changed');
}

export async function changeRole(deps: UserAdminDeps, actor: Actor, name: string, role: unknown): Promise<User> {
  if (!isRole(role)) throw new UserChangeError('Choose a role: editor, publisher or admin.', 'role');
  const user = await existing(deps, name);
  return change(deps, actor, user, { role }, 'role-changed', `role ${role}`);
}

export async function setDisabled(deps: UserAdminDeps, actor: Actor, name: string, disabled: boolean) {
  const user = await existing(deps, name);
  return change(deps, actor, user, { disabled }, disabled ? 'user-disabled' : 'user-enabled');
}

/** The user, or a refusal naming the one that does not exist. */
async function existing(deps: UserAdminDeps, name: string): Promise<User> {
  const user = await deps.users.find(name);
  if (!user) throw new UserChangeError(`There is no user "${normaliseUsername(name)}".`, 'username');
  return user;
}

/** Applies a change under the users file's lock, ending the user's sessions (a new epoch), and records it. */
async function change(
  deps: UserAdminDeps,
  actor: Actor,
  user: User,
  patch: Partial<User>,
  event: AuditEvent,
  detail?: string,
): Promise<User> {
  const now = new Date(deps.now()).toISOString();
  let changed: User | undefined;
  await deps.users.update((all) =>
    all.map((u) => {
      if (u.name !== user.name) return u;
      changed = { ...u, ...patch, sessionEpoch: u.sessionEpoch + 1, updated: now };
      return changed;
    }),
  );
  if (!changed) throw new UserChangeError(`There is no user "${user.name}".`, 'username');
  await record(deps.audit, actor, event, user.name, detail);
  return changed;
}

function record(audit: AuditLog, actor: Actor, event: AuditEvent, subject: string, detail?: string) {
  // At the command line the person acting is not known: the line names the user changed, as it always has.
  const entry: AuditEntry = {
    event,
    user: actor.user ?? subject,
    from: actor.from,
    ...(actor.user !== null ? { subject } : {}),
    ...(detail ? { detail } : {}),
  };
  return audit.record(entry);
}
