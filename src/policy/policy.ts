// Policies: versioned sets of tests, each with a declarative check over a snapshot's elements
// (DESIGN.md, "Policy / test"). docs/policy-language.md documents the YAML form.

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export const NODE_KINDS = ['host', 'hypervisor', 'vm', 'image'] as const
export type NodeKind = (typeof NODE_KINDS)[number]

export type Scalar = string | number | boolean

/** Comparators; when several are given, all must hold. */
export interface Comparison {
  readonly equals?: Scalar
  readonly notEquals?: Scalar
  readonly in?: readonly Scalar[]
  readonly notIn?: readonly Scalar[]
  /** A regular expression the value must match. */
  readonly matches?: string
  readonly notMatches?: string
  readonly atLeast?: number
  readonly atMost?: number
  /** File permissions: no bit beyond these (`0644` allows 0600, not 0664 or 4644). */
  readonly modeAtMost?: string
  /** Debian version order (`epoch:upstream-revision`). */
  readonly versionAtLeast?: string
  /** An ISO 8601 time at most this many days before the time of the assessment. */
  readonly withinDays?: number
}

/** What a missing element or setting means for a check. */
export type WhenMissing = 'fail' | 'pass' | 'not-applicable'

/** A check on the element a forEach is visiting. */
export type ElementCheck =
  | ({
      readonly attribute: string
      readonly missing?: WhenMissing
      /**
       * A related element instead of the visited one, by a key template in which `{key}` is the
       * visited element's key: `{key}/option/Security.AccountLockFailures`.
       */
      readonly of?: string
    } & Comparison)
  | { readonly all: readonly ElementCheck[] }
  | { readonly any: readonly ElementCheck[] }
  | { readonly none: readonly ElementCheck[] }

export type Check =
  | { readonly all: readonly Check[] }
  | { readonly any: readonly Check[] }
  | { readonly none: readonly Check[] }
  | {
      readonly element: {
        readonly key: string
        readonly attribute: string
        readonly missing?: WhenMissing
      } & Comparison
    }
  | {
      readonly file: {
        readonly path: string
        readonly exists?: boolean
        readonly type?: string
        readonly modeAtMost?: string
        readonly owner?: string
        readonly group?: string
        readonly missing?: WhenMissing
      }
    }
  | {
      readonly content: {
        readonly path: string
        /** Some line matches. */
        readonly matches?: string
        /** No line matches. */
        readonly notMatches?: string
        readonly missing?: WhenMissing
      }
    }
  | {
      readonly setting: {
        readonly file: string
        readonly parser: string
        readonly key: string
        /** The value a program uses when the file does not set the key. */
        readonly default?: Scalar
        readonly missing?: WhenMissing
      } & Comparison
    }
  | { readonly sysctl: { readonly key: string; readonly missing?: WhenMissing } & Comparison }
  | { readonly service: { readonly name: string; readonly missing?: WhenMissing } & Comparison }
  | {
      readonly package: {
        readonly name: string
        readonly installed?: boolean
        readonly versionAtLeast?: string
      }
    }
  | {
      readonly port: {
        readonly proto: 'tcp' | 'udp'
        readonly port: number
        readonly listening: boolean
      }
    }
  | { readonly uid0Accounts: { readonly atMost: number } }
  | { readonly noEmptyPasswords: true }
  | { readonly noSystemLoginShells: true }
  | {
      readonly groupMembers: {
        readonly group: string
        readonly atLeast?: number
        readonly atMost?: number
      }
    }
  | {
      readonly forEach: {
        /** Glob over element keys: `user:*`, `file:/etc/cron.d/*`. */
        readonly elements: string
        /** Only the elements this holds for. */
        readonly where?: ElementCheck
        readonly check: ElementCheck
        /** What no matching element means (default pass). */
        readonly none?: WhenMissing
      }
    }

export interface Applicability {
  /** os-release ID or ID_LIKE values: `debian`, `ubuntu`. */
  readonly os?: readonly string[]
  readonly kinds?: readonly NodeKind[]
  /** The node must carry all these tags. */
  readonly tags?: readonly string[]
  /** Not applicable unless this check passes (e.g. "openssh-server is installed"). */
  readonly when?: Check
}

export interface PolicyTest {
  readonly id: string
  readonly title: string
  readonly description?: string
  readonly rationale?: string
  readonly severity: Severity
  /** Framework → ids: `cis`, `stig`, `nist-800-53`, `pci-dss`, `iso-27001` … */
  readonly refs: Readonly<Record<string, readonly string[]>>
  readonly applies?: Applicability
  readonly check: Check
  readonly remediation: string
}

export interface Policy {
  readonly id: string
  readonly version: string
  readonly title: string
  readonly description?: string
  readonly applies?: Applicability
  /** Files (globs allowed) whose content the tests read: collected with content. */
  readonly reads: readonly string[]
  readonly tests: readonly PolicyTest[]
  /** Where it was loaded from (for messages). */
  readonly source: string
}
