// The signed-in session: token, user, account and project. Kept in sessionStorage (closing the tab signs out).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, useToken, type Api } from './api/client';
import type { Project } from './api/types';

export interface Session {
  token: string; expiresAt: string; user: string; domain: string; project: Project; projects: Project[];
}

interface SessionContextValue {
  session: Session | null;
  client: Api | null;
  signedIn: (session: Session) => void;
  signOut: () => void;
}

const SessionContext = createContext<SessionContextValue>({ session: null, client: null, signedIn: () => {}, signOut: () => {} });
const storageKey = 'infera.session';

function load(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as Session | null;
    return session && new Date(session.expiresAt).getTime() > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(load);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    useToken(null);
    setSession(null);
  }, []);
  const signedIn = useCallback((value: Session) => {
    sessionStorage.setItem(storageKey, JSON.stringify(value));
    setSession(value);
  }, []);
  // Set synchronously during render so the first requests of child components already carry the token.
  useToken(session?.token ?? null, signOut);
  useEffect(() => useToken(session?.token ?? null, signOut), [session, signOut]);
  const client = useMemo(() => (session ? api(session.project.id) : null), [session]);
  return <SessionContext.Provider value={{ session, client, signedIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession() { return useContext(SessionContext); }

/** The project-scoped API client; only inside signed-in pages. */
export function useApi(): Api {
  const { client } = useContext(SessionContext);
  if (!client) throw new Error('Not signed in.');
  return client;
}
