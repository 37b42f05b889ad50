/** Routes and session: signed out → sign-in; signed in → the view the URL names. */
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { getToken, onSignOut } from './api/client.js';
import { keys, prefetchImage, useMe } from './api/queries.js';
import { Layout } from './components/Layout.js';
import { ErrorState, Loading } from './components/states.js';
import { navigate, useLocation } from './router.js';
import { ImagesScreen } from './screens/images/ImagesScreen.js';
import { SignIn } from './screens/SignIn.js';
import { PENDING_SESSION, SessionContext } from './session.js';

// The landing view is in the first bundle; the others load when first opened.
const ImageScreen = lazy(() =>
  import('./screens/image/ImageScreen.js').then((m) => ({ default: m.ImageScreen })),
);
const RepositoriesScreen = lazy(() =>
  import('./screens/repositories/RepositoriesScreen.js').then((m) => ({ default: m.RepositoriesScreen })),
);
const ExceptionsScreen = lazy(() =>
  import('./screens/exceptions/ExceptionsScreen.js').then((m) => ({ default: m.ExceptionsScreen })),
);
const SettingsScreen = lazy(() =>
  import('./screens/settings/SettingsScreen.js').then((m) => ({ default: m.SettingsScreen })),
);

function useSignedIn(): boolean {
  return useSyncExternalStore(onSignOut, () => getToken() !== null);
}

function Routes() {
  const { path } = useLocation();
  const qc = useQueryClient();
  useEffect(() => {
    if (path === '/') navigate('/images', { replace: true });
  }, [path]);
  if (path === '/' || path === '/images') return <ImagesScreen tab="all" />;
  if (path === '/images/running') return <ImagesScreen tab="running" />;
  if (path.startsWith('/image/')) {
    const digest = decodeURIComponent(path.slice('/image/'.length));
    // The details request starts now, alongside the screen's code (loaded on first use), not after it.
    prefetchImage(qc, digest);
    return <ImageScreen digest={digest} />;
  }
  if (path === '/repositories') return <RepositoriesScreen />;
  if (path === '/exceptions') return <ExceptionsScreen />;
  if (path === '/settings') return <SettingsScreen />;
  return (
    <div className="state empty">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <a href="/images">Go to Images</a>.
      </p>
    </div>
  );
}

/**
 * The view's own requests start at once, alongside GET /api/v1/me: until the role is known the
 * session is a viewer's, so admin controls appear when it answers (a 401 signs out either way).
 */
function SignedIn() {
  const me = useMe();
  if (me.isError) return <ErrorState error={me.error} retry={() => me.refetch()} />;
  return (
    <SessionContext.Provider value={me.data ?? PENDING_SESSION}>
      <Layout>
        <Suspense fallback={<Loading what="this view" />}>
          <Routes />
        </Suspense>
      </Layout>
    </SessionContext.Provider>
  );
}

export function App() {
  const signedIn = useSignedIn();
  const qc = useQueryClient();
  const [, rerender] = useState(0);
  useEffect(() => {
    if (!signedIn) qc.clear();
  }, [signedIn, qc]);
  if (!signedIn)
    return (
      <SignIn
        onSignedIn={(me) => {
          qc.setQueryData(keys.me, me);
          rerender((n) => n + 1);
        }}
      />
    );
  return <SignedIn />;
}
