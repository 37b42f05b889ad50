/** Who is signed in: the token's name and role from GET /api/v1/me, for role-dependent controls. */
import { createContext, useContext } from 'react';
import type { Me } from './api/types.js';

export const SessionContext = createContext<Me | null>(null);

/** While GET /api/v1/me is on its way: read-only, nameless. */
export const PENDING_SESSION: Me = Object.freeze({ id: 0, name: '', role: 'viewer' });

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside a signed-in view');
  return me;
}

/** Admins change things; viewers read. The server enforces this; the UI only hides what would fail. */
export const useIsAdmin = () => useSession().role === 'admin';
