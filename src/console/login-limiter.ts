// Failed logins are limited per address and user name (a guesser), per address (one address
// trying many names) and per name (many addresses trying one name), each counted over a window.
// A colleague's typos behind the same address lock out only that colleague's name there. In
// memory, per console process: a restart forgets, which an attacker cannot cause from outside.

export interface LoginLimits {
  /** Failures allowed per address and name, per address, and per name, within the window. */
  readonly perPair: number
  readonly perAddress: number
  readonly perName: number
  readonly windowMs: number
}

const DEFAULT_LIMITS: LoginLimits = {
  perPair: 5,
  perAddress: 30,
  perName: 100,
  windowMs: 15 * 60_000,
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly limits: LoginLimits = DEFAULT_LIMITS) {}

  /** Milliseconds to wait before another attempt is allowed; 0 when one is. */
  retryAfter(address: string, name: string, now: number): number {
    let wait = 0
    for (const [key, attempts] of this.keys(address, name)) {
      const recent = this.recent(key, now)
      if (recent.length >= attempts) {
        wait = Math.max(wait, (recent[0] as number) + this.limits.windowMs - now)
      }
    }
    return wait
  }

  recordFailure(address: string, name: string, now: number): void {
    for (const [key] of this.keys(address, name)) {
      this.failures.set(key, [...this.recent(key, now), now])
    }
    if (this.failures.size > 100_000) this.failures.clear()
  }

  recordSuccess(address: string, name: string): void {
    this.failures.delete(`pair:${address}\n${name}`)
  }

  private keys(address: string, name: string): [key: string, attempts: number][] {
    return [
      [`pair:${address}\n${name}`, this.limits.perPair],
      [`ip:${address}`, this.limits.perAddress],
      [`user:${name}`, this.limits.perName],
    ]
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - this.limits.windowMs)
  }
}
