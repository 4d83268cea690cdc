import { COMPANY_COLORS } from '@/lib/shapes/chainShapeTypes'

/** Who this browser is on boards: a stable id, a display name and a cursor colour. */
export interface LocalUser {
  id: string
  name: string
  color: string
}

const STORAGE_KEY = 'chainmap:user'
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Ibex', 'Marten', 'Puffin', 'Gecko', 'Bison']

/** This browser's user, created once and kept in localStorage. */
export function loadLocalUser(storage: Storage = window.localStorage): LocalUser {
  const saved = storage.getItem(STORAGE_KEY)
  if (saved) {
    try {
      const user = JSON.parse(saved) as Partial<LocalUser>
      if (user.id && user.name && user.color) return user as LocalUser
    } catch {
      // fall through and replace the unreadable entry
    }
  }
  const random = crypto.getRandomValues(new Uint32Array(2))
  const user: LocalUser = {
    id: crypto.randomUUID(),
    name: `${ANIMALS[(random[0] ?? 0) % ANIMALS.length]} ${((random[1] ?? 0) % 90) + 10}`,
    color: COMPANY_COLORS[(random[1] ?? 0) % COMPANY_COLORS.length] ?? '#1971c2',
  }
  storage.setItem(STORAGE_KEY, JSON.stringify(user))
  return user
}
