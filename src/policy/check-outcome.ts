// The outcome of one check: its status, what was found, what was expected, and where.

export type CheckStatus = 'pass' | 'fail' | 'not-applicable' | 'error'

export interface Evidence {
  readonly element?: string
  readonly file?: string
  readonly line?: number
}

export interface CheckOutcome {
  readonly status: CheckStatus
  readonly actual: string
  readonly expected: string
  readonly evidence: readonly Evidence[]
}

export function outcome(
  status: CheckStatus,
  actual: string,
  expected: string,
  evidence: readonly Evidence[] = [],
): CheckOutcome {
  return { status, actual, expected, evidence }
}
