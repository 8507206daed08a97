import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { groupElements, userElements, type AccountFiles } from './account-elements.js'
import { parseGroup } from './group-file.js'
import { parsePasswd } from './passwd-file.js'
import { parseShadow } from './shadow-file.js'

function files(
  passwd: string,
  shadow: string | undefined,
  group: string,
  gshadowAdmins: AccountFiles['gshadowAdmins'] = 'absent',
): AccountFiles {
  const problems: CollectionProblem[] = []
  return {
    passwd: parsePasswd(configLines(passwd, 'p', problems), 'p', problems),
    shadow:
      shadow === undefined
        ? undefined
        : parseShadow(configLines(shadow, 's', problems), 's', problems),
    groups: parseGroup(configLines(group, 'g', problems), 'g', problems),
    gshadowAdmins,
  }
}

const PASSWD =
  'root:x:0:0:root:/root:/bin/bash\n' +
  'alice:x:1000:1000:Alice Liddell:/home/alice:/bin/bash\n' +
  'ghost:x:1001:1001::/home/ghost:/bin/sh\n' +
  'legacy::1002:100::/home/legacy:/bin/sh\n'
const GROUP = 'root:x:0:\nsudo:x:27:alice\nadm:x:4:alice\nalice:x:1000:\nusers:x:100:\n'

test('a user element carries ids, home, shell, gecos, the password state, aging as dates and groups', () => {
  const shadow =
    'root:*:19000:0:99999:7:::\nalice:$6$s$h:19000:1:90:7:14:20000:\nlegacy:!:0::::::\n'
  const [root, alice, ghost, legacy] = userElements(files(PASSWD, shadow, GROUP))
  assert.deepEqual(alice, {
    key: 'user:alice',
    attributes: {
      uid: 1000,
      gid: 1000,
      group: 'alice',
      home: '/home/alice',
      shell: '/bin/bash',
      gecos: 'Alice Liddell',
      password: 'set',
      lastChange: '2022-01-08',
      minAge: 1,
      maxAge: 90,
      warnDays: 7,
      inactiveDays: 14,
      expires: '2024-10-04',
      groups: 'adm,sudo',
    },
  })
  assert.equal(root?.attributes['password'], 'locked')
  assert.equal(root?.attributes['inactiveDays'], undefined, 'unset fields are left out')
  assert.equal(ghost?.attributes['password'], 'none', 'no shadow entry')
  assert.equal(ghost?.attributes['group'], undefined, 'a gid no group names has no name')
  assert.equal(legacy?.attributes['password'], 'empty', 'an empty passwd field is no password')
  assert.equal(legacy?.attributes['mustChange'], true, 'day 0 forces a change, it is no date')
  assert.equal(legacy?.attributes['lastChange'], undefined)
})

test('when /etc/shadow cannot be read, what it holds is unverified rather than absent', () => {
  const [root, , , legacy] = userElements(files(PASSWD, undefined, GROUP))
  assert.equal(root?.attributes['password'], undefined)
  assert.ok(root?.unverified?.includes('password'))
  assert.ok(root?.unverified?.includes('maxAge'))
  assert.equal(legacy?.attributes['password'], 'empty', 'known from passwd alone')
  assert.ok(!legacy?.unverified?.includes('password'))
})

test('group elements list members sorted and, with a gshadow, the group administrators', () => {
  const withGshadow = files(PASSWD, '', 'sudo:x:27:carol,alice\n', new Map([['sudo', ['bob']]]))
  assert.deepEqual(groupElements(withGshadow), [
    { key: 'group:sudo', attributes: { gid: 27, members: 'alice,carol', admins: 'bob' } },
  ])
  const withoutGshadow = files(PASSWD, '', 'sudo:x:27:\n')
  assert.deepEqual(groupElements(withoutGshadow), [
    { key: 'group:sudo', attributes: { gid: 27, members: '' } },
  ])
  const unreadable = { ...files(PASSWD, '', 'sudo:x:27:\n'), gshadowAdmins: undefined }
  assert.deepEqual(groupElements(unreadable)[0]?.unverified, ['admins'])
})
