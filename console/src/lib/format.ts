import dayjs from 'dayjs';

export function formatTime(ms?: number | string | null) {
  if (ms === undefined || ms === null || ms === 0 || ms === '') return '-';
  return dayjs(typeof ms === 'string' && /^\d+$/.test(ms) ? Number(ms) : ms).format('YYYY-MM-DD HH:mm:ss');
}

export function formatBytes(bytes?: number) {
  if (bytes === undefined || bytes === null) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Splits obs://bucket/key into its parts. */
export function parseObs(path: string): { bucket: string; key: string } | null {
  const match = /^(?:obs|s3):\/\/([^/]+)\/?(.*)$/.exec(path.trim());
  return match ? { bucket: match[1], key: match[2] } : null;
}
