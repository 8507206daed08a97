// Where change tickets come from: CSV and JSON files, and pollers for ServiceNow and Jira. Each
// gives ImportedTickets plus a problem per ticket it could not read; the core reconciles them.
export {
  TICKET_STATES,
  formatTicketProblem,
  type ImportedTicket,
  type TicketImport,
  type TicketProblem,
  type TicketSourceKind,
  type TicketState,
} from './imported-ticket.js'
export { parseInstant, splitPatternList } from './ticket-fields.js'
export { parseTicketCsv, TICKET_CSV_COLUMNS } from './ticket-csv.js'
export { parseTicketJson } from './ticket-json.js'
export { parseScopeText, type TicketScope } from './scope-text.js'
export {
  describePollFailure,
  type TicketPoll,
  type TicketPollFailure,
  type TicketPollSuccess,
} from './ticket-poll.js'
export { DEFAULT_TICKET_SYSTEM_TIMEOUT_MS, type TicketSystemAuth } from './ticket-system-request.js'
export { pollServiceNow, type ServiceNowPollerConfig } from './servicenow-poller.js'
export { serviceNowTicketState } from './servicenow-change.js'
export { pollJira, type JiraPollerConfig } from './jira-poller.js'
export { DEFAULT_JIRA_STATUS_STATES } from './jira-issue.js'
