// Hash routes: "#/ticket/12?x=1" → {parts: ['ticket', '12'], query: URLSearchParams}.

export function current() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(search), raw };
}

export function go(hash) {
  if (location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

/** Build "#/map?region=411600&from=2026-01" skipping empty values. */
export function link(path, params = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function onChange(fn) {
  window.addEventListener('hashchange', fn);
}
