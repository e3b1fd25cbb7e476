#!/usr/bin/env bash
# Runs Flywheel locally: Azurite (data under .azurite/) on 10000-10002 and LocalHost on
# http://localhost:7071. Ctrl-C stops both; so does either one dying.
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
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do stop_process "${pids[i]}"; done
}
trap stop EXIT
trap 'exit 130' INT TERM

if port_open 10000 && port_open 10002; then
  log "Azurite is already listening on 10000-10002: using it"
else
  log "Starting Azurite (data in .azurite/, log in .azurite/azurite.log)"
  mkdir -p .azurite
  start_azurite "$repo_root/.azurite" 10000 10001 10002 "$repo_root/.azurite/azurite.log"
  pids+=("$AZURITE_PID")
  wait_for_port 10000 30 "${pids[0]}" && wait_for_port 10002 30 "${pids[0]}" \
    || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
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

# Whichever of the two exits first ends the session (and the trap stops the other).
wait -n "${pids[@]}"
