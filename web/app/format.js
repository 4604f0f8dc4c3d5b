// Numbers, rates and dates as the programme shows them: thousands separators, dates and times
// in programme time (Asia/Shanghai) as 2026-02-14 09:30.

export const PROGRAMME_TZ = 'Asia/Shanghai';

const intFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const DASH = '—';

export function num(n) {
  return n === null || n === undefined ? DASH : intFmt.format(n);
}

export function dec(n) {
  return n === null || n === undefined ? DASH : decFmt.format(n);
}

/** A rate in [0, 1] as a percentage with one decimal: 0.9912 → "99.1%". */
export function pct(r) {
  return r === null || r === undefined ? DASH : `${decFmt.format(r * 100)}%`;
}

const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: PROGRAMME_TZ, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function parts(iso) {
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const p = {};
  for (const { type, value } of partsFmt.formatToParts(d)) p[type] = value;
  return p;
}

/** RFC 3339 (UTC) → "2026-02-14 09:30" in programme time. */
export function dateTime(iso) {
  if (!iso) return DASH;
  const p = parts(iso);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : DASH;
}

/** RFC 3339 → "2026-02-14" in programme time. */
export function date(iso) {
  if (!iso) return DASH;
  const p = parts(iso);
  return p ? `${p.year}-${p.month}-${p.day}` : DASH;
}

/** This month in programme time, "YYYY-MM", shifted by `delta` months. */
export function month(delta = 0) {
  const p = parts(new Date());
  let y = Number(p.year);
  let m = Number(p.month) + delta;
  while (m < 1) { m += 12; y -= 1; }
  while (m > 12) { m -= 12; y += 1; }
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** Whole days from `iso` until now (positive once it is past). */
export function daysPast(iso) {
  if (!iso) return null;
  return Math.floor((Date.now() - new Date(iso).getTime()) / 86400000);
}

export function isMonth(s) {
  return typeof s === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}
