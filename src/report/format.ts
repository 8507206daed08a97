// Small formatting helpers shared by the text renderers.
import type { AttributeValue } from '../model/index.js'

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TB'}`
}

/** 1234567 → "1,234,567" (without toLocaleString, whose first call costs ~10 ms of ICU set-up). */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** One attribute value for people: absent values show as "(none)", digests are shortened. */
export function formatValue(name: string, value: AttributeValue): string {
  if (value === null) return '(none)'
  if (name === 'sha256' && typeof value === 'string') return `${value.slice(0, 16)}…`
  return String(value)
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`
}
