/** React Query hooks over the public API: one per endpoint, keys named after the path. */
import {
  keepPreviousData,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, withQuery } from './client.js';
import type {
  ContentFinding,
  ImageDetail,
  ImageDetailResponse,
  ImageListParams,
  ImagePage,
  Me,
  RepositoryException,
  RepositoryRow,
  Summary,
  Thresholds,
  ThresholdsSaved,
  TokenInfo,
  VulnerabilityException,
  VulnerabilityFinding,
} from './types.js';

export const keys = {
  me: ['me'] as const,
  summary: ['summary'] as const,
  images: (p: ImageListParams) => ['images', p] as const,
  image: (digest: string) => ['image', digest] as const,
  repositories: (p: { q?: string; limit: number; offset: number }) => ['repositories', p] as const,
  vulnExceptions: ['exceptions', 'vulnerabilities'] as const,
  contentExceptions: ['exceptions', 'content'] as const,
  repoExceptions: ['exceptions', 'repositories'] as const,
  thresholds: ['thresholds'] as const,
  tokens: ['tokens'] as const,
};

export const useMe = () => useQuery({ queryKey: keys.me, queryFn: () => api<Me>('/api/v1/me') });

export const useSummary = () =>
  useQuery({ queryKey: keys.summary, queryFn: () => api<Summary>('/api/v1/summary') });

export const useImages = (params: ImageListParams) =>
  useQuery({
    queryKey: keys.images(params),
    queryFn: ({ signal }) => api<ImagePage>(withQuery('/api/v1/images', params), { signal }),
    placeholderData: keepPreviousData,
  });

/** Vulnerabilities and content findings apart, once per response (every tab reads one kind). */
export function splitFindings(d: ImageDetailResponse): ImageDetail {
  const findings: VulnerabilityFinding[] = [];
  const contentFindings: ContentFinding[] = [];
  for (const f of d.findings) {
    if (f.kind === 'vulnerability') findings.push(f);
    else contentFindings.push(f);
  }
  return { ...d, findings, contentFindings };
}

const imageQuery = (digest: string) => ({
  queryKey: keys.image(digest),
  queryFn: async ({ signal }: { signal: AbortSignal }) =>
    splitFindings(await api<ImageDetailResponse>(`/api/v1/images/${encodeURIComponent(digest)}`, { signal })),
});

export const useImage = (digest: string) => useQuery(imageQuery(digest));

/** Starts loading an image's details (idempotent: one request per digest in flight or fresh). */
export const prefetchImage = (qc: QueryClient, digest: string) => void qc.prefetchQuery(imageQuery(digest));

export const useRepositories = (p: { q?: string; limit: number; offset: number }) =>
  useQuery({
    queryKey: keys.repositories(p),
    queryFn: ({ signal }) =>
      api<{ items: RepositoryRow[] }>(withQuery('/api/v1/repositories', p), { signal }),
    placeholderData: keepPreviousData,
  });

export const useVulnerabilityExceptions = () =>
  useQuery({
    queryKey: keys.vulnExceptions,
    queryFn: () => api<{ items: VulnerabilityException[] }>('/api/v1/exceptions/vulnerabilities'),
  });

/** Secret, threat and config exceptions (GET /api/v1/exceptions/content, every kind). */
export const useContentExceptions = () =>
  useQuery({
    queryKey: keys.contentExceptions,
    queryFn: () => api<{ items: VulnerabilityException[] }>('/api/v1/exceptions/content'),
  });

export const useRepositoryExceptions = () =>
  useQuery({
    queryKey: keys.repoExceptions,
    queryFn: () => api<{ items: RepositoryException[] }>('/api/v1/exceptions/repositories'),
  });

export const useThresholds = () =>
  useQuery({ queryKey: keys.thresholds, queryFn: () => api<Thresholds>('/api/v1/settings/thresholds') });

export const useTokens = (enabled: boolean) =>
  useQuery({
    queryKey: keys.tokens,
    queryFn: () => api<{ items: TokenInfo[] }>('/api/v1/tokens'),
    enabled,
  });

/**
 * A mutation after which everything derived from images is refetched (grades, counts, lists):
 * exceptions, thresholds, dismiss and delete all change what the other views show.
 */
export function useImageMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['images'] }),
        qc.invalidateQueries({ queryKey: ['image'] }),
        qc.invalidateQueries({ queryKey: keys.summary }),
        qc.invalidateQueries({ queryKey: ['repositories'] }),
        qc.invalidateQueries({ queryKey: ['exceptions'] }),
        qc.invalidateQueries({ queryKey: keys.thresholds }),
      ]),
  });
}

export const saveThresholds = (t: Thresholds) =>
  api<ThresholdsSaved>('/api/v1/settings/thresholds', { method: 'PUT', body: t });
