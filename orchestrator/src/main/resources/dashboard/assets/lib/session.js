// Who is signed in and what they may do where (GET /api/v1/auth/me), the folders they see,
// the folder every page is scoped to, and the theme.
import { api } from './api.js';

export const ROOT = 'root';

export class Session {
  constructor(me, folders) {
    this.me = me;
    this.folders = folders;
    this.byFolder = new Map(me.folders.map((f) => [f.folder_id, new Set(f.permissions)]));
    this.folder = restoreFolder(folders);
  }

  static async load() {
    const me = await api.get('/api/v1/auth/me');
    let folders = [];
    // Without folder.read anywhere the switcher is left out and pages show every folder they may.
    if (me.folders.some((f) => f.permissions.includes('folder.read'))) {
      try {
        folders = (await api.get('/api/v1/folders', { limit: 500 })).items.filter((f) => f.visible !== false);
      } catch {
        // Shown without the switcher.
      }
    }
    return new Session(me, folders);
  }

  get name() {
    return this.me.user ? this.me.user.display_name || this.me.user.username || this.me.name : this.me.name;
  }

  /** True when the caller holds `permission` in `folderId` (the root's hold everywhere). */
  may(permission, folderId = this.folder || ROOT) {
    const there = this.byFolder.get(folderId) ?? this.byFolder.get(ROOT);
    return !!there && there.has(permission);
  }

  /** True when the caller holds `permission` in some folder (to show a page at all). */
  mayAnywhere(permission) {
    for (const set of this.byFolder.values()) if (set.has(permission)) return true;
    return false;
  }

  /** The folder of the switcher (an id), or '' for all the caller may see. */
  setFolder(id) {
    this.folder = id || '';
    if (this.folder) localStorage.setItem('casare.folder', this.folder);
    else localStorage.removeItem('casare.folder');
  }

  folderPath(id) {
    const f = this.folders.find((x) => x.id === id);
    return f ? f.path : id;
  }
}

function restoreFolder(folders) {
  const fromUrl = new URLSearchParams(location.search).get('folder');
  const saved = fromUrl ?? localStorage.getItem('casare.folder') ?? '';
  return folders.some((f) => f.id === saved) ? saved : '';
}

const systemDark = matchMedia('(prefers-color-scheme: dark)');
systemDark.addEventListener('change', () => theme());

/**
 * The theme chosen (light, dark or system; kept in localStorage), applied as <html
 * data-theme="light|dark"> (system: what the system prefers, followed when it changes).
 */
export function theme(choice) {
  if (choice) localStorage.setItem('casare.theme', choice);
  const current = localStorage.getItem('casare.theme') || 'system';
  document.documentElement.dataset.theme = current === 'system' ? (systemDark.matches ? 'dark' : 'light') : current;
  return current;
}
