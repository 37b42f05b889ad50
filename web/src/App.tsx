/** Routes and session: signed out → sign-in; signed in → the view the URL names. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getToken, onSignOut } from './api/client.js';
import { keys, useMe } from './api/queries.js';
import { Layout } from './components/Layout.js';
import { ErrorState, Loading } from './components/states.js';
import { navigate, useLocation } from './router.js';
import { ExceptionsScreen } from './screens/exceptions/ExceptionsScreen.js';
import { ImageScreen } from './screens/image/ImageScreen.js';
import { ImagesScreen } from './screens/images/ImagesScreen.js';
import { RepositoriesScreen } from './screens/repositories/RepositoriesScreen.js';
import { SignIn } from './screens/SignIn.js';
import { SettingsScreen } from './screens/settings/SettingsScreen.js';
import { SessionContext } from './session.js';

function useSignedIn(): boolean {
  return useSyncExternalStore(onSignOut, () => getToken() !== null);
}

function Routes() {
  const { path } = useLocation();
  useEffect(() => {
    if (path === '/') navigate('/images', { replace: true });
  }, [path]);
  if (path === '/' || path === '/images') return <ImagesScreen tab="all" />;
  if (path === '/images/running') return <ImagesScreen tab="running" />;
  if (path.startsWith('/image/'))
    return <ImageScreen digest={decodeURIComponent(path.slice('/image/'.length))} />;
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

function SignedIn() {
  const me = useMe();
  if (me.isPending) return <Loading what="your session" />;
  if (me.isError) return <ErrorState error={me.error} retry={() => me.refetch()} />;
  return (
    <SessionContext.Provider value={me.data}>
      <Layout>
        <Routes />
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
