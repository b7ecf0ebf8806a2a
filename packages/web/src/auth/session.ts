import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { getMe, getSetupStatus, logout, type TMe } from '../api/auth-api';
import { ApiError } from '../api/http';
import i18next from 'i18next';
import { changeLanguage } from '../i18n';
import { isLanguage, LANGUAGE_STORAGE_KEY } from '../i18n/language';

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user (null when anonymous); undefined while loading. */
export function useMe() {
  return useQuery<TMe | null>({
    queryKey: ME_KEY,
    queryFn: async ({ signal }) => {
      const me = await getMe(signal);
      // The language chosen on the account wins over this device's: the user sees it everywhere.
      if (isLanguage(me?.locale) && me.locale !== i18next.language) await changeLanguage(me.locale);
      return me;
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether this installation still needs its first-run setup; false when the server has no setup route. */
export function useSetupNeeded() {
  return useQuery<boolean>({
    queryKey: ['setup', 'status'],
    queryFn: async () => {
      try {
        return (await getSetupStatus()).needed;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return false;
        throw err;
      }
    },
    staleTime: 300_000,
    retry: false,
  });
}

/**
 * Leaves nothing behind that could hold health data: the query cache (memory), sessionStorage, and
 * localStorage except the language code. The service worker caches only the app shell.
 */
export function clearClientData(queryClient: QueryClient): void {
  queryClient.clear();
  try {
    sessionStorage.clear();
    const language = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    localStorage.clear();
    if (language) localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // storage unavailable (private mode): nothing stored either
  }
}

export type SignOutReason = 'manual' | 'idle';

export function useSignOut(): (reason: SignOutReason) => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (reason: SignOutReason) => {
      try {
        await logout();
      } catch {
        // the session may already be gone on the server; we still forget everything here
      }
      // Leave the signed-in layout first: clearing the cache under it would send it to /signin.
      await navigate(`/signed-out?reason=${reason}`, { replace: true });
      clearClientData(queryClient);
      queryClient.setQueryData(ME_KEY, null);
    },
    [queryClient, navigate],
  );
}
