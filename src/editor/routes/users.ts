/**
 * For admins: the people who can sign in, added and changed in the
 * browser with the same rules as `npm run user` (userAdmin.ts): the
 * password rules, Argon2id, and sessions ended at once by a new password, a
 * new role or disabling. Each change is in the audit log with the admin who
 * made it. An admin cannot change their own role or disable themselves, and
 * the last admin who can sign in cannot be demoted or disabled, so the
 * editor can never be left without one.
 */
import type { Request, Response } from 'express';
import { message, signedIn, type EditorContext, type EditorRoute } from '../context.js';
import { formatDateTime, seeOther, sendHtml } from '../http.js';
import {
  addUser,
  changePassword,
  changeRole,
  isRole,
  setDisabled,
  UserChangeError,
  type Actor,
  type UserAdminDeps,
} from '../users/userAdmin.js';
import { passwordProblem } from '../auth/passwords.js';
import { normaliseUsername, ROLES, usernameProblem, type User } from '../users/users.js';

const USER_ROUTE = /^\/edit\/users\/([a-z0-9][a-z0-9._-]{1,31})(?:\/(role|password|status))?$/;

const ROLE_HINTS: Record<(typeof ROLES)[number], string> = {
  editor: 'Changes pages. With review on, their changes to published pages wait for a publisher.',
  publisher: 'Also publishes changes waiting for review, or sends them back with a comment.',
  admin: 'Also adds and changes users, and reads the activity.',
};

const NOTICES: Record<string, string> = {
  added: 'The user is added. Give them their username and password: they can sign in now.',
  role: 'The role is changed. Their sessions have ended: they sign in again to use it.',
  password: 'The password is changed. Their sessions have ended: they sign in again with the new password.',
  disabled: 'The user is disabled: they cannot sign in, and their sessions have ended.',
  enabled: 'The user is enabled: they can sign in again.',
};

export function userRoutes(context: EditorContext): EditorRoute {
  return async (req, res) => {
    if (req.path !== '/edit/users' && !req.path.startsWith('/edit/users/')) return false;
    if (res.locals.editor!.user.role !== 'admin') return adminsOnly(context, res);
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === '/edit/users') return get ? list(context, req, res) : false;
    if (req.path === '/edit/users/new') return get ? newUserForm(context, res, {}, {}) : add(context, req, res);
    const m = USER_ROUTE.exec(req.path);
    if (!m) return false;
    const user = await context.users.find(m[1]!);
    if (!user) return noSuchUser(context, res);
    if (m[2] === undefined) return get ? userPage(context, req, res, user, {}) : false;
    if (get) return false;
    return changeUser(context, req, res, user, m[2] as 'role' | 'password' | 'status');
  };
}

function adminsOnly(context: EditorContext, res: Response): true {
  const back = { href: '/edit/', text: 'All pages' };
  sendHtml(res, 403, message(context, 'For admins only', ['Only admins can add and change users.'], back, res));
  return true;
}

function noSuchUser(context: EditorContext, res: Response): true {
  const back = { href: '/edit/users', text: 'Users' };
  sendHtml(res, 404, message(context, 'User not found', ['There is no user with this name.'], back, res));
  return true;
}

function deps(context: EditorContext): UserAdminDeps {
  return { users: context.users, audit: context.audit, now: context.now };
}

function actor(res: Response): Actor {
  return { user: res.locals.editor!.user.name, from: res.locals.clientAddress! };
}

function roleName(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

async function list(context: EditorContext, req: Request, res: Response): Promise<true> {
  const users = await context.users.list();
  sendHtml(
    res,
    200,
    context.views.render('users', {
      ...signedIn(res, 'users'),
      pageTitle: 'Users',
      users: [...users]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((u) => ({
          name: u.name,
          displayName: u.displayName,
          role: roleName(u.role),
          disabled: u.disabled,
          you: u.name === res.locals.editor!.user.name,
        })),
      notice: req.query.notice === 'added' ? NOTICES.added : undefined,
    }),
  );
  return true;
}

interface NewUserValues {
  username?: string;
  displayName?: string;
  email?: string;
  role?: string;
}

function newUserForm(
  context: EditorContext,
  res: Response,
  values: NewUserValues,
  errors: Record<string, string>,
): true {
  sendHtml(
    res,
    200,
    context.views.render('user-new', {
      ...signedIn(res, 'users'),
      pageTitle: 'Add a user',
      values,
      roles: roleItems(values.role ?? 'editor'),
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { text: v }])),
      errors: Object.entries(errors).map(([k, v]) => ({ text: v, href: `#${k}` })),
    }),
  );
  return true;
}

function roleItems(selected: string) {
  return ROLES.map((role) => ({
    value: role,
    text: roleName(role),
    hint: { text: ROLE_HINTS[role] },
    checked: role === selected,
  }));
}

async function add(context: EditorContext, req: Request, res: Response): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const values: NewUserValues = {
    username: text('username').trim(),
    displayName: text('displayName').trim(),
    email: text('email').trim(),
    role: text('role'),
  };
  const errors: Record<string, string> = {};
  const name = normaliseUsername(values.username!);
  const nameProblem = usernameProblem(name);
  if (values.username === '') errors.username = 'Enter a username';
  else if (nameProblem) errors.username = nameProblem;
  if (values.displayName === '') errors.displayName = 'Enter their full name, as it appears in the history';
  if (!isRole(values.role)) errors.role = 'Choose a role';
  const password = text('password');
  const problem = password === '' ? null : passwordProblem(password, nameProblem ? '' : name);
  if (password === '') errors.password = 'Enter a password for them';
  else if (problem) errors.password = problem;
  else if (password !== text('confirm')) errors.confirm = 'The two passwords are not the same: enter it twice';
  if (Object.keys(errors).length > 0) return newUserForm(context, res, values, errors);
  try {
    const user = await addUser(deps(context), actor(res), {
      name: values.username!,
      displayName: values.displayName!,
      email: values.email!,
      role: values.role!,
      password,
    });
    seeOther(res, `/edit/users/${user.name}?notice=added`);
    return true;
  } catch (error) {
    if (!(error instanceof UserChangeError)) throw error;
    return newUserForm(context, res, values, { [error.field ?? 'username']: withoutFullStop(error.message) });
  }
}

interface UserPageState {
  errors?: Record<string, string>;
  status?: number;
}

function userPage(context: EditorContext, req: Request, res: Response, user: User, state: UserPageState): true {
  const you = user.name === res.locals.editor!.user.name;
  const errors = state.errors ?? {};
  sendHtml(
    res,
    state.status ?? 200,
    context.views.render('user', {
      ...signedIn(res, 'users'),
      pageTitle: `${user.displayName} (${user.name})`,
      person: {
        name: user.name,
        displayName: user.displayName,
        email: user.email,
        role: roleName(user.role),
        disabled: user.disabled,
        created: formatDateTime(new Date(user.created)),
        updated: formatDateTime(new Date(user.updated)),
      },
      you,
      roles: roleItems(user.role),
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { text: v }])),
      errors: Object.entries(errors).map(([k, v]) => ({ text: v, href: `#${k}` })),
      notice: typeof req.query.notice === 'string' ? NOTICES[req.query.notice] : undefined,
    }),
  );
  return true;
}

async function changeUser(
  context: EditorContext,
  req: Request,
  res: Response,
  user: User,
  what: 'role' | 'password' | 'status',
): Promise<true> {
  const body = req.body as Record<string, unknown>;
  const me = res.locals.editor!.user;
  const refuse = (field: string, text: string) =>
    userPage(context, req, res, user, { errors: { [field]: text }, status: 400 });
  try {
    if (what === 'role') {
      if (!isRole(body.role)) return refuse('role', 'Choose a role');
      if (body.role === user.role) return refuse('role', `${user.displayName} is already ${article(body.role)}`);
      if (user.name === me.name) return refuse('role', 'You cannot change your own role: ask another admin');
      if (user.role === 'admin' && (await lastAdmin(context, user)))
        return refuse('role', 'This is the only admin who can sign in: make someone else an admin first');
      await changeRole(deps(context), actor(res), user.name, body.role);
      seeOther(res, `/edit/users/${user.name}?notice=role`);
      return true;
    }
    if (what === 'password') {
      const password = typeof body.password === 'string' ? body.password : '';
      if (password === '') return refuse('password', 'Enter the new password');
      if (password !== body.confirm) return refuse('confirm', 'The two passwords are not the same: enter it twice');
      await changePassword(deps(context), actor(res), user.name, password);
      seeOther(res, `/edit/users/${user.name}?notice=password`);
      return true;
    }
    const disable = body.action === 'disable';
    if (disable && user.name === me.name) return refuse('status', 'You cannot disable yourself: ask another admin');
    if (disable && user.role === 'admin' && (await lastAdmin(context, user)))
      return refuse('status', 'This is the only admin who can sign in: make someone else an admin first');
    if (disable === user.disabled) {
      seeOther(res, `/edit/users/${user.name}`);
      return true;
    }
    await setDisabled(deps(context), actor(res), user.name, disable);
    seeOther(res, `/edit/users/${user.name}?notice=${disable ? 'disabled' : 'enabled'}`);
    return true;
  } catch (error) {
    if (!(error instanceof UserChangeError)) throw error;
    return refuse(error.field ?? 'status', withoutFullStop(error.message));
  }
}

/** True when no other admin can sign in. */
async function lastAdmin(context: EditorContext, user: User): Promise<boolean> {
  const others = (await context.users.list()).filter(
    (u) => u.role === 'admin' && !u.disabled && u.name !== normaliseUsername(user.name),
  );
  return others.length === 0;
}

function article(role: string): string {
  return role === 'editor' || role === 'admin' ? `an ${role}` : `a ${role}`;
}

function withoutFullStop(s: string): string {
  return s.replace(/\.$/, '');
}
