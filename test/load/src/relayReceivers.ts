import WebSocket from 'ws'

// The receiving side of the relay-write benchmark (relayWrite.ts), in a process of its own:
// `RECEIVERS` sockets that read and drop every message. Argument: the port; tells its parent 'open'.
const port = Number(process.argv[2])
const receivers = Number(process.argv[3])
let open = 0
for (let i = 0; i < receivers; i++) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`)
  socket.on('open', () => {
    open++
    if (open === receivers) process.send?.('open')
  })
  socket.on('message', () => {})
}
process.on('disconnect', () => process.exit(0))
