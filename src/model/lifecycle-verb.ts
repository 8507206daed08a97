// What can happen to a VM, as a change: what hypervisor connectors report and ticket scopes may
// limit themselves to (Step 7 of DESIGN.md's seven).
export const LIFECYCLE_VERBS = [
  'created',
  'deleted',
  'started',
  'stopped',
  'paused',
  'resumed',
  'migrated',
  'reconfigured',
  'snapshot-reverted',
  'renamed',
] as const
export type LifecycleVerb = (typeof LIFECYCLE_VERBS)[number]
