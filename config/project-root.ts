import path from 'node:path';

/** The repository root (this file lives in <root>/config). Default tool and data folders hang off it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
