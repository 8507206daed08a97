// Renderers: text for people, JSON for machines.
export { renderCheckText } from './check-text-report.js'
export { renderCheckJson } from './check-json-report.js'
export { formatBytes, formatCount, plural } from './format.js'
export { renderPrivilegedJson, renderPrivilegedText } from './privileged-report.js'
export { renderAssessmentJson, renderAssessmentText } from './assessment-report.js'
