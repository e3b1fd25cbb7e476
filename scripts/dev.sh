#!/usr/bin/env bash
# Runs Flywheel locally: Azurite (data under .azurite/) on 10000-10002 and the app on
# http://localhost:7071. Ctrl-C stops both. If Azurite dies, the app keeps running (health
# answers 503) and Azurite is started again; if the app dies, the session ends.
#
#   scripts/dev.sh               LocalHost: one ASP.NET Core process, starts in a second (the fast twin)
#   scripts/dev.sh --functions   the Functions app under the Functions host, as `azd up` deploys it:
#                                `func start` when Core Tools is installed, else the open-source host
#                                from ../shared/tools/functions-host (FLYWHEEL_HOST=functions does the same)
set -euo pipefail
source "$(dirname "$0")/tools.sh"
cd "$repo_root"

host=${FLYWHEEL_HOST:-local}
for arg in "$@"; do
  case $arg in
    --functions) host=functions ;;
    --local) host=local ;;
    *) echo "usage: scripts/dev.sh [--functions | --local]" >&2; exit 2 ;;
  esac
done
[[ $host == local || $host == functions ]] || { echo "FLYWHEEL_HOST is '$host': use local or functions" >&2; exit 2; }

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

export AzureWebJobsStorage=${AzureWebJobsStorage:-UseDevelopmentStorage=true}
key_hint=""
if [[ $host == local ]]; then
  log "Building and starting LocalHost"
  export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
  # Local callers are trusted to say who they are (X-Flywheel-User in audit history); never in Azure.
  export Flywheel__Access__TrustUserHeader=${Flywheel__Access__TrustUserHeader:-true}
  dotnet build src/Flywheel.LocalHost --nologo -clp:ErrorsOnly -v quiet
  dotnet run --project src/Flywheel.LocalHost --no-build --no-launch-profile -- --urls "http://localhost:$api_port" &
  pids+=("$!")
  started="LocalHost"
else
  log "Building the Functions app (Release)"
  dotnet build src/Flywheel.Functions -c Release --nologo -clp:ErrorsOnly -v quiet
  app_dir="$repo_root/artifacts/bin/Flywheel.Functions/release"
  if command -v func >/dev/null; then
    # Core Tools reads local.settings.json from the app folder; the sample is the starting point.
    [[ -f "$app_dir/local.settings.json" ]] || cp local.settings.sample.json "$app_dir/local.settings.json"
    log "Starting the Functions app with Core Tools (func start); keys are not checked locally"
    (cd "$app_dir" && exec func start --port "$api_port") &
    pids+=("$!")
    started="func start"
  else
    log "Building the Functions host from ../shared/tools/functions-host (once; log under artifacts/functions-host/)"
    host_dir=$(functions_host_dir)
    # This host checks function keys as Azure does: a known master key, so curl can send it.
    export FUNCTIONS_MASTER_KEY=${FUNCTIONS_MASTER_KEY:-$(head -c 30 /dev/urandom | base64 | tr -d '/+=')}
    export FUNCTIONS_SECRETS_PATH="$repo_root/artifacts/functions-host/secrets"
    log "Starting the Functions host (about 10 s until healthy)"
    "$functions_host_tools/run.sh" "$host_dir" "$app_dir" "$api_port" "$AzureWebJobsStorage" local.settings.sample.json &
    pids+=("$!")
    started="the Functions host"
    key_hint="
    Key       $FUNCTIONS_MASTER_KEY   (every function but health wants it, as in Azure)
              curl -H \"x-functions-key: $FUNCTIONS_MASTER_KEY\" http://localhost:$api_port/api/models
              FLYWHEEL_KEY=$FUNCTIONS_MASTER_KEY scripts/walkthrough.sh"
  fi
fi
wait_for_port "$api_port" 90 "${pids[-1]}" || { echo "$started did not start" >&2; exit 1; }
[[ $host == local ]] || until curl -sf "http://127.0.0.1:$api_port/api/health" >/dev/null; do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "$started exited during start" >&2; exit 1; }
  sleep 0.5
done

cat <<MSG

  Flywheel is running ($started).
    API       http://localhost:$api_port   (health: http://localhost:$api_port/api/health)$key_hint
    Console   http://localhost:$api_port/console
    Azurite   blobs http://127.0.0.1:10000  queues http://127.0.0.1:10001  tables http://127.0.0.1:10002

  Try:  curl -s http://localhost:$api_port/api/health
  Ctrl-C stops everything.

MSG

# The app exiting ends the session (the trap stops Azurite). Azurite exiting does not: the app
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
    log "Azurite stopped; starting it again (the app keeps running; api/health answers 503 until it is back)"
    run_azurite
  fi
done
