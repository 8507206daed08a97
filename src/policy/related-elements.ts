// Element checks that read a related element: `of: '{key}/option/Security.AccountLockFailures'`
// inside a forEach over `vmm:host/*` judges each host by the setting element beside it.
import type { Check, ElementCheck } from './policy.js'

/** Stands for the visited element's key in an `of` template. */
export const RELATED_KEY = '{key}'

/**
 * The key of the element an `of` template names for the visited element.
 *
 * @example relatedKey('{key}/service/TSM-SSH', 'vmm:host/esx1') // 'vmm:host/esx1/service/TSM-SSH'
 */
export function relatedKey(template: string, visited: string): string {
  return template.replaceAll(RELATED_KEY, visited)
}

/**
 * Globs over the keys a forEach's `of` templates can name: the template with the forEach's own
 * glob as the visited key. What assess collects includes them.
 *
 * @example relatedGlobs({ elements: 'vmm:host/*', check: { of: '{key}/option/X', attribute: 'value' } }) // ['vmm:host/*\/option/X']
 */
export function relatedGlobs(forEach: Extract<Check, { forEach: unknown }>['forEach']): string[] {
  const templates = new Set<string>()
  const walk = (check: ElementCheck): void => {
    if ('all' in check) check.all.forEach(walk)
    else if ('any' in check) check.any.forEach(walk)
    else if ('none' in check) check.none.forEach(walk)
    else if (check.of !== undefined) templates.add(check.of)
  }
  walk(forEach.check)
  if (forEach.where !== undefined) walk(forEach.where)
  return [...templates].map((template) => relatedKey(template, forEach.elements))
}
