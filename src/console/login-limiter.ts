// Failed logins are limited per address and per user name, so neither one address guessing many
// names nor many addresses guessing one password gets far. In memory: a restart forgets, which
// costs an attacker a restart of the console, something they cannot cause from outside.

export interface LoginLimits {
  readonly attempts: number
  readonly windowMs: number
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly limits: LoginLimits = { attempts: 5, windowMs: 15 * 60_000 }) {}

  /** Milliseconds to wait before another attempt is allowed; 0 when one is. */
  retryAfter(address: string, name: string, now: number): number {
    let wait = 0
    for (const key of [`ip:${address}`, `user:${name}`]) {
      const recent = this.recent(key, now)
      if (recent.length >= this.limits.attempts) {
        wait = Math.max(wait, (recent[0] as number) + this.limits.windowMs - now)
      }
    }
    return wait
  }

  recordFailure(address: string, name: string, now: number): void {
    for (const key of [`ip:${address}`, `user:${name}`]) {
      this.failures.set(key, [...this.recent(key, now), now])
    }
    if (this.failures.size > 100_000) this.failures.clear()
  }

  recordSuccess(address: string, name: string): void {
    this.failures.delete(`ip:${address}`)
    this.failures.delete(`user:${name}`)
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - this.limits.windowMs)
  }
}
