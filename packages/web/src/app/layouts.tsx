import { Anchor, AppShell, Box, Burger, Button, Container, Group, NavLink, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink as RouterNavLink, Outlet, useLocation, useMatches } from 'react-router';
import { useMe, useSignOut } from '../auth/session';
import { IdleTimeout } from './idle-timeout';
import { LanguageSwitcher } from './language-switcher';
import { Loading } from './loading';
import { activeMenuPath, homePathFor, mayOpen, menuFor, type AppRoute } from './registry';

/** The registry entry of the page being shown (set as the route's handle). */
function useCurrentRoute(): AppRoute | undefined {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const handle = matches[i]?.handle as AppRoute | undefined;
    if (handle?.titleKey) return handle;
  }
  return undefined;
}

/**
 * On every navigation: the document title names the page, and focus moves to the main region so
 * screen-reader and keyboard users start at the new content (WCAG 2.4.2, 2.4.3).
 */
function usePageChange(main: React.RefObject<HTMLElement | null>): void {
  const { t, i18n } = useTranslation();
  const route = useCurrentRoute();
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    document.title = route ? `${t(route.titleKey)} · ${t('app.name')}` : t('app.name');
  }, [route, t, i18n.language]);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname, main]);
}

function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('app.skipToContent')}
    </a>
  );
}

function Brand() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/" underline="never" fw={700} fz="lg" c="brand.9">
      {t('app.name')}
    </Anchor>
  );
}

/** Screens anyone may open: sign-in, password reset, invitation, setup. */
export function PublicLayout() {
  const main = useRef<HTMLDivElement>(null);
  usePageChange(main);
  return (
    <>
      <SkipLink />
      <Box component="header" px="md" py="sm" className="public-header">
        <Group justify="space-between" maw={960} mx="auto">
          <Brand />
          <LanguageSwitcher />
        </Group>
      </Box>
      <Container component="main" id="main" ref={main} tabIndex={-1} size={480} py="xl" className="main-region">
        <Outlet />
      </Container>
    </>
  );
}

/** The signed-in app: header, navigation from the registry, idle sign-out. */
export function ShellLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const route = useCurrentRoute();
  const signOut = useSignOut();
  const [opened, { toggle, close }] = useDisclosure(false);
  const main = useRef<HTMLDivElement>(null);
  const location = useLocation();
  usePageChange(main);
  useEffect(close, [location.pathname, close]);

  if (me.isPending) return <Loading />;
  // Signing out navigates to /signed-out and then forgets the user; on a slow device this layout may
  // render once more in between, and must not bounce the user to /signin over the signed-out page.
  if (!me.data) return location.pathname === '/signed-out' ? <Loading /> : <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  if (route && !mayOpen(route, me.data.roles)) return <Navigate to={homePathFor(me.data.roles)} replace />;
  const menu = menuFor(me.data.roles);
  const activePath = activeMenuPath(location.pathname, menu);

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t('app.closeNav') : t('app.openNav')} aria-expanded={opened} aria-controls="main-nav" />
            <Brand />
          </Group>
          <Group gap="xs" wrap="nowrap">
            {/* On a phone the language choice moves into the navigation drawer to leave room. */}
            <Box visibleFrom="sm">
              <LanguageSwitcher />
            </Box>
            <Button variant="default" size="compact-md" onClick={() => void signOut('manual')}>
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" id="main-nav" aria-label={t('app.mainNav')}>
        <VisuallyHidden>
          <Text>{me.data.email}</Text>
        </VisuallyHidden>
        {menu.map((entry) => (
          <NavLink key={entry.path} component={RouterNavLink} to={entry.path} label={entry.menu ? t(entry.menu.labelKey) : ''} active={entry.path === activePath} end />
        ))}
        <Box hiddenFrom="sm" mt="md" px="xs">
          <LanguageSwitcher />
        </Box>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1} className="main-region">
        <Outlet />
      </AppShell.Main>
      <IdleTimeout onTimeout={() => void signOut('idle')} />
    </AppShell>
  );
}
