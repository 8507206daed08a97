// `vpool:<pool>` and `vpool:<pool>/<volume>`: storage pools (where VM disks live, who may read
// them) and their volumes (path, format, the image each is backed by). Usage figures —
// allocation, available space — change with every write to a disk, so they are left out.
import type { Element } from '../../model/index.js'
import { contentSha256, redactedConfig } from './config-content.js'
import {
  attribute,
  child,
  childText,
  children,
  parseLibvirtXml,
  sizeInBytes,
} from './libvirt-xml.js'

export interface PoolFacts {
  readonly uuid: string
  readonly xml: string
  readonly active: boolean
  readonly autostart: boolean
  readonly persistent: boolean
}

/** The pool's name, as volume keys need it. @throws LibvirtXmlError */
export function poolName(xml: string): string {
  return childText(parseLibvirtXml(xml, 'pool'), 'name') ?? ''
}

/** @throws LibvirtXmlError when the definition cannot be read. */
export function poolElement(facts: PoolFacts): Element {
  const pool = parseLibvirtXml(facts.xml, 'pool')
  const source = child(pool, 'source')
  const permissions = child(pool, 'target', 'permissions')
  const content = redactedConfig(
    facts.xml.replace(/^\s*<(allocation|available)\b[^>]*>[^<]*<\/\1>\n?/gm, ''),
  )
  return {
    key: `vpool:${childText(pool, 'name') ?? facts.uuid}`,
    attributes: {
      type: attribute(pool, 'type') ?? null,
      uuid: facts.uuid,
      active: facts.active,
      autostart: facts.autostart,
      persistent: facts.persistent,
      path: childText(pool, 'target', 'path') ?? null,
      source: poolSource(source),
      mode: childText(permissions, 'mode') ?? null,
      owner:
        permissions === undefined
          ? null
          : `${childText(permissions, 'owner') ?? ''}:${childText(permissions, 'group') ?? ''}`,
      capacity_bytes: sizeInBytes(child(pool, 'capacity'), 'bytes'),
      sha256: contentSha256(content),
    },
    content,
  }
}

function poolSource(source: ReturnType<typeof child>): string | null {
  const parts = [
    ...children(source, 'host').map((host) => attribute(host, 'name') ?? ''),
    ...children(source, 'device').map((device) => attribute(device, 'path') ?? ''),
    attribute(child(source, 'dir'), 'path') ?? '',
    childText(source, 'name') ?? '',
  ].filter((part) => part !== '')
  return parts.length === 0 ? null : parts.join(',')
}

/** @throws LibvirtXmlError when the volume's XML cannot be read. */
export function volumeElement(pool: string, xml: string): Element {
  const volume = parseLibvirtXml(xml, 'volume')
  return {
    key: `vpool:${pool}/${childText(volume, 'name') ?? ''}`,
    attributes: {
      type: attribute(volume, 'type') ?? null,
      path: childText(volume, 'target', 'path') ?? null,
      format: attribute(child(volume, 'target', 'format'), 'type') ?? null,
      capacity_bytes: sizeInBytes(child(volume, 'capacity'), 'bytes'),
      backing_store: childText(volume, 'backingStore', 'path') ?? null,
    },
  }
}
