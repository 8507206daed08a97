import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseGshadowAdmins } from './gshadow-file.js'

test('gshadow gives the administrators of each group, never its password', () => {
  const problems: CollectionProblem[] = []
  const text = 'sudo:$6$gshadowhash:carol,dave:alice\nroot:*::\ngarbage\n'
  const admins = parseGshadowAdmins(
    configLines(text, '/etc/gshadow', problems),
    '/etc/gshadow',
    problems,
  )
  assert.deepEqual(admins.get('sudo'), ['carol', 'dave'])
  assert.deepEqual(admins.get('root'), [])
  assert.deepEqual(problems, [
    { path: '/etc/gshadow:3', reason: 'malformed', detail: 'not a gshadow entry' },
  ])
})
