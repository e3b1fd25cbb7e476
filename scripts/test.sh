#!/usr/bin/env bash
# Everything CI checks, from a fresh clone: install, a private Azurite, the Functions host, build
# (warnings are errors), all tests (the end-to-end suite against both hosts), Bicep build + lint. Exits non-zero on any failure; the last line is "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/tools.sh"
cd "$repo_root"

passed=0
failed=0
work=$(mktemp -d -t flywheel-test-XXXXXX)
azurite_pid=""
cleanup() {
  [[ -n "$azurite_pid" ]] && stop_process "$azurite_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

summary() {
  echo
  echo "$passed passed, $failed failed"
  (( failed == 0 ))
  exit $?
}

install_node_tools || { failed=$((failed + 1)); summary; }
install_test_peers || { failed=$((failed + 1)); summary; }

log "Starting a private Azurite"
blob=$(free_port) queue=$(free_port) table=$(free_port)
start_azurite "$work/azurite" "$blob" "$queue" "$table" "$work/azurite.log"
azurite_pid=$AZURITE_PID
if ! wait_for_port "$blob" 30 "$azurite_pid" || ! wait_for_port "$table" 30 "$azurite_pid"; then
  cat "$work/azurite.log" >&2
  failed=$((failed + 1)); summary
fi
export FLYWHEEL_TEST_STORAGE
FLYWHEEL_TEST_STORAGE=$(azurite_connection_string "$blob" "$queue" "$table")

# The infrastructure tests compile infra/main.bicep with the same CLI the lint below uses.
bicep=$(bicep_cli) || { failed=$((failed + 1)); summary; }
export FLYWHEEL_BICEP=$bicep

# The end-to-end suite runs the Functions app under the open-source Functions host as well as LocalHost.
log "Building the Functions host (once; cached under artifacts/functions-host/ by the sources' hash)"
host_build_started=$SECONDS
FLYWHEEL_FUNCTIONS_HOST=$(functions_host_dir) || { failed=$((failed + 1)); summary; }
export FLYWHEEL_FUNCTIONS_HOST
echo "Functions host ready in $((SECONDS - host_build_started)) s: $FLYWHEEL_FUNCTIONS_HOST"

log "Building Flywheel.Local.slnf (warnings are errors)"
if ! dotnet build Flywheel.Local.slnf --configuration Release --nologo -clp:ErrorsOnly; then
  failed=$((failed + 1)); summary
fi

log "Running tests"
dotnet test Flywheel.Local.slnf --configuration Release --no-build --nologo 2>&1 | tee "$work/test.log"
test_status=${PIPESTATUS[0]}
read -r p f < <(awk '/(Passed|Failed)! +- +Failed:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } } END { print p + 0, f + 0 }' "$work/test.log")
passed=$((passed + p))
failed=$((failed + f))
if (( test_status != 0 && f == 0 )); then
  echo "dotnet test failed without reporting a failed test (a crashed test host?)" >&2
  failed=$((failed + 1))
fi

log "Bicep build + lint (infra/)"
bicep_failed=0
while IFS= read -r file; do
  for command in build lint; do
    args=("$command" "$file")
    [[ $command == build ]] && args+=(--outdir "$work/arm")
    if ! output=$("$bicep" "${args[@]}" 2>&1) || grep -qiE '(warning|error)' <<<"$output"; then
      echo "bicep $command $file:" >&2
      echo "$output" >&2
      bicep_failed=1
    fi
  done
done < <(find infra -name '*.bicep' | sort)
if (( bicep_failed )); then failed=$((failed + 1)); else echo "Bicep: every file builds and lints clean"; fi

summary
