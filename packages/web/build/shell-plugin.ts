import type { Plugin } from 'vite';
import { APP_SECTIONS } from '../src/app/sections.ts';
import { serviceWorkerSource } from './service-worker.ts';

/**
 * Emits the service worker (precaching only the app shell: index.html, the entry script and styles,
 * the manifest and icons) and dist/spa-sections.json, which the server reads to know which client
 * paths fall back to index.html.
 */
export function shellPlugin(): Plugin {
  return {
    name: 'careline-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      const shell = ['/', '/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png'];
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk' && item.isEntry) {
          shell.push(`/${item.fileName}`);
          for (const css of item.viteMetadata?.importedCss ?? []) shell.push(`/${css}`);
          for (const imported of item.imports) shell.push(`/${imported}`);
        }
      }
      const version = shell
        .join('|')
        .split('')
        .reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7)
        .toString(36);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(version, shell) });
      this.emitFile({ type: 'asset', fileName: 'spa-sections.json', source: `${JSON.stringify(APP_SECTIONS)}\n` });
    },
  };
}
