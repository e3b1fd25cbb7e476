# Sourced by bench scripts: a private Azurite and a Release LocalHost on free ports, stopped on exit.
# Sets $work (a temporary folder), $base (LocalHost's URL), $server (its pid) and AzureWebJobsStorage.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/tools.sh"
cd "$repo_root"
work=$(mktemp -d -t flywheel-bench-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do stop_process "$pid"; done; rm -rf "$work"; }
trap cleanup EXIT

start_flywheel() {
  install_node_tools
  dotnet build src/Flywheel.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly
  local blob queue table api
  blob=$(free_port) queue=$(free_port) table=$(free_port) api=$(free_port)
  start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
  pids+=("$AZURITE_PID")
  wait_for_port "$blob" 30 && wait_for_port "$table" 30
  export AzureWebJobsStorage
  AzureWebJobsStorage=$(azurite_connection_string "$blob" "$queue" "$table")
  Logging__LogLevel__Default=Warning dotnet artifacts/bin/Flywheel.LocalHost/release/Flywheel.LocalHost.dll --urls "http://127.0.0.1:$api" > "$work/localhost.log" 2>&1 &
  server=$!
  pids+=("$server")
  wait_for_port "$api" 60
  base="http://127.0.0.1:$api"
}
