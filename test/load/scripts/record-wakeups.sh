#!/usr/bin/env bash
# Records the syscalls and scheduler events of each server of a running fan-out bench and its two
# client processes, 5 s per server, then prints where a relayed update's time goes (wakeReport.js).
# Needs root (or perf_event_paranoid ≤ -1) and perf. Start the bench first, from test/load:
#   node dist/bench.js --only=fanout --light --rounds=1 --single-node --skip-hocuspocus &
#   scripts/record-wakeups.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=${WAKE_TRACE_DIR:-/tmp/chainmap-wake-trace}
mkdir -p "$out"
events=()
for call in read write writev epoll_wait epoll_pwait; do
  events+=(-e "syscalls:sys_enter_$call" -e "syscalls:sys_exit_$call")
done
events+=(-e sched:sched_wakeup -e sched:sched_switch)
for server in sync-server/dist/cli.js y-websocket-classic/bin/server.cjs; do
  label=$(basename "$server")
  until pgrep -f "$server" >/dev/null; do sleep 0.2; done
  sleep 6 # past the clients' warm-up
  pid=$(pgrep -f "$server" | head -1)
  clients=$(pgrep -f dist/clientProcess.js | paste -sd, -)
  timeout -s INT 5 perf record "${events[@]}" -p "$pid,$clients" -o "$out/$label.data" >/dev/null 2>&1 || true
  perf script -i "$out/$label.data" -F tid,cpu,time,event,trace > "$out/$label.txt" 2>/dev/null
  node dist/wakeReport.js "$out/$label.txt" --server="$pid" --clients="$clients" --label="$label"
  while pgrep -f "$server" >/dev/null; do sleep 0.2; done
done
