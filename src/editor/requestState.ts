/** What the editor's middleware leaves for its routes, typed (see server/requestState.ts for the rest). */
import type { SessionClaims } from './session/sessions.js';
import type { User } from './users/users.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The signed-in person and their session; absent before sign-in. */
      editor?: { user: User; claims: SessionClaims; token: string };
      /** The client's address (behind TRUST_PROXY, the one the proxy names). */
      clientAddress?: string;
    }
  }
}

export {};
