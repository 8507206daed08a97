// The zod schema of a policy file. A check is an object with exactly one key, its kind; unknown
// kinds, unknown keys and unsafe regular expressions are refused with their place (the loader
// turns issue paths into file:line:column).
import { z } from 'zod'
import { NODE_KINDS, SEVERITIES, type Check, type ElementCheck } from './policy.js'
import { CONFIG_PARSERS } from './parsers/index.js'
import { RELATED_KEY } from './related-elements.js'
import { patternProblem } from './safe-pattern.js'

const scalar = z.union([z.string(), z.number(), z.boolean()])
const pattern = z.string().superRefine((value, context) => {
  const problem = patternProblem(value)
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem })
})
const octalMode = z
  .string()
  .regex(/^0?[0-7]{3,4}$/, { message: 'expected an octal mode such as 0644' })
const whenMissing = z.enum(['fail', 'pass', 'not-applicable'])

const comparison = {
  equals: scalar.optional(),
  notEquals: scalar.optional(),
  in: z.array(scalar).optional(),
  notIn: z.array(scalar).optional(),
  matches: pattern.optional(),
  notMatches: pattern.optional(),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
  modeAtMost: octalMode.optional(),
  versionAtLeast: z.string().min(1).optional(),
  withinDays: z.number().min(0).optional(),
}

/** Parses "an object with exactly one key among `kinds`" and validates its value. */
function oneOf<T>(what: string, kinds: () => Record<string, z.ZodType>): z.ZodType<T> {
  return z.unknown().transform((value, context): T => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      context.addIssue({
        code: 'custom',
        message: `expected a ${what}: an object with one of ${Object.keys(kinds()).join(', ')}`,
      })
      return z.NEVER
    }
    const keys = Object.keys(value)
    if (keys.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `a ${what} has exactly one kind, got ${keys.length === 0 ? 'none' : keys.join(', ')}`,
      })
      return z.NEVER
    }
    const kind = keys[0] as string
    const schema = kinds()[kind]
    if (schema === undefined) {
      context.addIssue({
        code: 'custom',
        path: [kind],
        message: `unknown ${what} type "${kind}": expected one of ${Object.keys(kinds()).join(', ')}`,
      })
      return z.NEVER
    }
    const parsed = schema.safeParse((value as Record<string, unknown>)[kind])
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        context.addIssue({ code: 'custom', path: [kind, ...issue.path], message: issue.message })
      }
      return z.NEVER
    }
    return { [kind]: parsed.data } as T
  })
}

export const elementCheckSchema: z.ZodType<ElementCheck> = z.lazy(() =>
  z.union([
    z.strictObject({
      attribute: z.string().min(1),
      missing: whenMissing.optional(),
      of: z
        .string()
        .includes(RELATED_KEY, {
          message: `expected a key template with ${RELATED_KEY} (the visited element's key), e.g. '${RELATED_KEY}/option/Security.AccountLockFailures'`,
        })
        .optional(),
      ...comparison,
    }),
    z.strictObject({ all: z.array(elementCheckSchema).min(1) }),
    z.strictObject({ any: z.array(elementCheckSchema).min(1) }),
    z.strictObject({ none: z.array(elementCheckSchema).min(1) }),
  ]),
)

let checkKinds: Record<string, z.ZodType> | undefined

/** The schema of each check kind, built once (on first use: the kinds refer back to checkSchema). */
const CHECK_KINDS = (): Record<string, z.ZodType> =>
  (checkKinds ??= {
    all: z.array(checkSchema).min(1),
    any: z.array(checkSchema).min(1),
    none: z.array(checkSchema).min(1),
    element: z.strictObject({
      key: z.string().min(1),
      attribute: z.string().min(1),
      missing: whenMissing.optional(),
      ...comparison,
    }),
    file: z.strictObject({
      path: z.string().startsWith('/'),
      exists: z.boolean().optional(),
      type: z.string().optional(),
      modeAtMost: octalMode.optional(),
      owner: z.string().optional(),
      group: z.string().optional(),
      missing: whenMissing.optional(),
    }),
    content: z.strictObject({
      path: z.string().startsWith('/'),
      matches: pattern.optional(),
      notMatches: pattern.optional(),
      missing: whenMissing.optional(),
    }),
    setting: z.strictObject({
      file: z.string().startsWith('/'),
      parser: z.enum(Object.keys(CONFIG_PARSERS) as [string, ...string[]], {
        error: `expected one of ${Object.keys(CONFIG_PARSERS).join(', ')}`,
      }),
      key: z.string().min(1),
      default: scalar.optional(),
      missing: whenMissing.optional(),
      ...comparison,
    }),
    sysctl: z.strictObject({
      key: z.string().min(1),
      missing: whenMissing.optional(),
      ...comparison,
    }),
    service: z.strictObject({
      name: z.string().min(1),
      missing: whenMissing.optional(),
      ...comparison,
    }),
    package: z.strictObject({
      name: z.string().min(1),
      installed: z.boolean().optional(),
      versionAtLeast: z.string().min(1).optional(),
    }),
    port: z.strictObject({
      proto: z.enum(['tcp', 'udp']),
      port: z.number().int().min(0).max(65535),
      listening: z.boolean(),
    }),
    uid0Accounts: z.strictObject({ atMost: z.number().int().min(0) }),
    noEmptyPasswords: z.literal(true),
    noSystemLoginShells: z.literal(true),
    groupMembers: z.strictObject({
      group: z.string().min(1),
      atLeast: z.number().int().min(0).optional(),
      atMost: z.number().int().min(0).optional(),
    }),
    forEach: z.strictObject({
      elements: z.string().min(1),
      where: elementCheckSchema.optional(),
      check: elementCheckSchema,
      none: whenMissing.optional(),
    }),
  })

export const checkSchema: z.ZodType<Check> = z.lazy(() => oneOf<Check>('check', CHECK_KINDS))

const applicabilitySchema = z.strictObject({
  os: z.array(z.string().min(1)).optional(),
  kinds: z.array(z.enum(NODE_KINDS)).optional(),
  tags: z.array(z.string().min(1)).optional(),
  when: checkSchema.optional(),
})

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, {
  message: 'expected an id of lower-case letters, digits, ".", "_" and "-"',
})

export const policyTestSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(1),
  description: z.string().optional(),
  rationale: z.string().optional(),
  severity: z.enum(SEVERITIES),
  refs: z.record(z.string(), z.array(z.string().min(1))).default({}),
  applies: applicabilitySchema.optional(),
  check: checkSchema,
  remediation: z.string().min(1, { message: 'every test needs remediation text' }),
})

export const policySchema = z.strictObject({
  id: idSchema,
  version: z.string().min(1),
  title: z.string().min(1),
  description: z.string().optional(),
  applies: applicabilitySchema.optional(),
  reads: z.array(z.string().startsWith('/')).default([]),
  tests: z.array(policyTestSchema).min(1),
})
