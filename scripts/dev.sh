#!/usr/bin/env bash
# Runs Flywheel locally: Azurite (data under .azurite/) on 10000-10002 and LocalHost on
# http://localhost:7071. Ctrl-C stops both. If Azurite dies, LocalHost keeps running (health
# answers 503) and Azurite is started again; if LocalHost dies, the session ends.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
cd "$repo_root"

api_port=${FLYWHEEL_PORT:-7071}
install_node_tools

pids=()
stop() {
  trap - EXIT
  # A second Ctrl-C must not cut the cleanup short and leave Azurite running.
  trap '' INT TERM
  # LocalHost first, then the Azurite it uses.
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do [[ -n "${pids[i]}" ]] && stop_process "${pids[i]}"; done
}
trap stop EXIT
trap 'exit 130' INT TERM

azurite_pid=""
run_azurite() {
  log "Starting Azurite (data in .azurite/, log in .azurite/azurite.log)"
  mkdir -p .azurite
  start_azurite "$repo_root/.azurite" 10000 10001 10002 "$repo_root/.azurite/azurite.log"
  azurite_pid=$AZURITE_PID
  pids=("$azurite_pid" "${pids[@]:1}")
  wait_for_port 10000 30 "$azurite_pid" && wait_for_port 10002 30 "$azurite_pid" \
    || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
}

if port_open 10000 && port_open 10002; then
  log "Azurite is already listening on 10000-10002: using it"
  pids+=("")
else
  pids+=("")
  run_azurite
fi

if port_open "$api_port"; then
  echo "Port $api_port is taken (another dev.sh?). Stop it, or set FLYWHEEL_PORT." >&2
  exit 1
fi

log "Building and starting LocalHost"
export AzureWebJobsStorage=${AzureWebJobsStorage:-UseDevelopmentStorage=true}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
# Local callers are trusted to say who they are (X-Flywheel-User in audit history); never in Azure.
export Flywheel__Access__TrustUserHeader=${Flywheel__Access__TrustUserHeader:-true}
dotnet build src/Flywheel.LocalHost --nologo -clp:ErrorsOnly -v quiet
dotnet run --project src/Flywheel.LocalHost --no-build --no-launch-profile -- --urls "http://localhost:$api_port" &
pids+=("$!")
wait_for_port "$api_port" 60 "${pids[-1]}" || { echo "LocalHost did not start" >&2; exit 1; }

cat <<MSG

  Flywheel is running.
    API       http://localhost:$api_port   (health: http://localhost:$api_port/api/health)
    Azurite   blobs http://127.0.0.1:10000  queues http://127.0.0.1:10001  tables http://127.0.0.1:10002

  Try:  curl -s http://localhost:$api_port/api/health
  Ctrl-C stops everything.

MSG

# LocalHost exiting ends the session (the trap stops Azurite). Azurite exiting does not: LocalHost
# answers 503 meanwhile, and Azurite is started again (at most 5 times a minute, so a broken one stops the session).
localhost_pid=${pids[-1]}
restarts=()
while true; do
  if [[ -n "$azurite_pid" ]]; then wait -n "$localhost_pid" "$azurite_pid" || true; else wait "$localhost_pid" || true; fi
  kill -0 "$localhost_pid" 2>/dev/null || exit 1
  if [[ -n "$azurite_pid" ]] && ! kill -0 "$azurite_pid" 2>/dev/null; then
    now=$SECONDS
    restarts=("${restarts[@]}" "$now")
    recent=0
    for t in "${restarts[@]}"; do (( now - t < 60 )) && recent=$((recent + 1)); done
    (( recent <= 5 )) || { echo "Azurite keeps dying; see .azurite/azurite.log" >&2; exit 1; }
    log "Azurite stopped; starting it again (LocalHost keeps running; api/health answers 503 until it is back)"
    run_azurite
  fi
done
