/**
 * `@chainmap/board` — the shared chainmap board document and its mapping to the simulation model.
 * @packageDocumentation
 */
export { isValidRoomName, MAX_ROOM_NAME_LENGTH } from './roomName.js'
