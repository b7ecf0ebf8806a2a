import { fileURLToPath } from 'node:url';

/** The repository root (benches run with it as the working directory). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
