/** The frame of every signed-in view: skip link, navigation, who is signed in, sign-out. */
import type { ReactNode } from 'react';
import { signOut } from '../api/client.js';
import { Link, useLocation } from '../router.js';
import { PENDING_SESSION, useSession } from '../session.js';

const NAV = [
  { to: '/images', label: 'Images', match: (p: string) => p === '/' || p.startsWith('/image') },
  { to: '/repositories', label: 'Repositories', match: (p: string) => p.startsWith('/repositories') },
  { to: '/exceptions', label: 'Exceptions', match: (p: string) => p.startsWith('/exceptions') },
  { to: '/settings', label: 'Settings', match: (p: string) => p.startsWith('/settings') },
];

export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const me = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Assay</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={n.match(path) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {me.id !== PENDING_SESSION.id && (
            <>
              {me.name} <span className="role">({me.role})</span>
            </>
          )}
        </span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** A view's heading, with optional actions on the right. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}
