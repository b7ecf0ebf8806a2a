import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { useMe, useSetupNeeded } from '../auth/session';
import { PublicLayout, ShellLayout } from './layouts';
import { Loading } from './loading';
import { NotFoundPage } from './not-found-page';
import { homePathFor, ROUTES, type AppRoute } from './registry';

function toRouteObject(route: AppRoute): RouteObject {
  return {
    path: route.path,
    handle: route,
    lazy: async () => ({ Component: (await route.load()).default }),
  };
}

/** `/`: the setup screen on a fresh installation, else sign-in, else the user's home. */
function RootRedirect() {
  const setup = useSetupNeeded();
  const me = useMe();
  if (setup.isPending || me.isPending) return <Loading />;
  if (setup.data === true) return <Navigate to="/setup" replace />;
  if (!me.data) return <Navigate to="/signin" replace />;
  return <Navigate to={homePathFor(me.data.roles)} replace />;
}

export function createRouter() {
  return createBrowserRouter([
    { path: '/', element: <RootRedirect /> },
    { element: <PublicLayout />, children: [...ROUTES.filter((r) => r.access.kind === 'public').map(toRouteObject), { path: '*', element: <NotFoundPage /> }] },
    { element: <ShellLayout />, children: ROUTES.filter((r) => r.access.kind === 'signed-in').map(toRouteObject) },
  ]);
}
