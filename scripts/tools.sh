# Shared by dev.sh and test.sh (sourced, not run): installs the local tools and starts Azurite.
# shellcheck shell=bash

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# Azurite, pinned in package.json/package-lock.json, installed into the repository's node_modules.
install_node_tools() {
  command -v node >/dev/null || { echo "Node.js is required (https://nodejs.org); it runs the Azurite storage emulator." >&2; return 1; }
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)." >&2; return 1; }
  local stamp="$repo_root/node_modules/.package-lock.json"
  # Azurite, and uPlot, which the Flywheel.Api build embeds in the web console.
  if [[ ! -x "$repo_root/node_modules/.bin/azurite" || ! -f "$repo_root/node_modules/uplot/dist/uPlot.iife.min.js" || "$repo_root/package-lock.json" -nt "$stamp" ]]; then
    log "Installing Azurite and the console's browser libraries (npm ci)"
    (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Peers the tests check Flywheel's files with (never product dependencies): Debian's python3-onnx
# (onnx.checker on exported models), chromium (the training report in a real browser) and
# shellcheck (the azd hooks in scripts/azd).
install_test_peers() {
  local missing=()
  /usr/bin/python3 -c 'import onnx' 2>/dev/null || missing+=(python3-onnx)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  (( ${#missing[@]} == 0 )) && return 0
  log "Installing ${missing[*]} (apt)"
  local sudo=()
  (( EUID == 0 )) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (version in Directory.Packages.props).
bicep_cli() {
  local version packages
  version=$(sed -n 's:.*<BicepCliVersion>\(.*\)</BicepCliVersion>.*:\1:p' "$repo_root/Directory.Packages.props")
  packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  local cli="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  if [[ ! -x "$cli" ]]; then
    dotnet restore "$repo_root/scripts/tools/Tools.csproj" --verbosity quiet >&2 || return 1
    chmod +x "$cli" 2>/dev/null || true
  fi
  [[ -x "$cli" ]] || { echo "Bicep CLI $version not found at $cli after restore" >&2; return 1; }
  echo "$cli"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }

wait_for_port() { # port seconds pid
  local deadline=$((SECONDS + $2))
  until port_open "$1"; do
    if [[ -n "${3:-}" ]] && ! kill -0 "$3" 2>/dev/null; then return 1; fi
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

# Starts Azurite in the background of the calling shell, so that shell can wait on it; the pid is in AZURITE_PID.
start_azurite() {
  mkdir -p "$1"
  "$repo_root/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose --location "$1" \
    --blobHost 127.0.0.1 --blobPort "$2" --queueHost 127.0.0.1 --queuePort "$3" \
    --tableHost 127.0.0.1 --tablePort "$4" >"$5" 2>&1 &
  AZURITE_PID=$!
}

# Stops a process: TERM, up to 10 s to exit, then KILL (Azurite can hang on TERM once its data folder is gone).
stop_process() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

azurite_connection_string() { # blob queue table
  printf 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/devstoreaccount1;QueueEndpoint=http://127.0.0.1:%s/devstoreaccount1;TableEndpoint=http://127.0.0.1:%s/devstoreaccount1' \
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' "$1" "$2" "$3"
}

# The Functions host that stands in for Core Tools where `func` is not installed: the open-source host in
# ../shared/tools/functions-host, built once into artifacts/functions-host/<tarball sha256>/ so a warm run
# (and a new tarball) is decided by the hash alone. Prints the folder holding the host's WebHost dll; the
# build log stays in that folder and is shown only when the build fails.
functions_host_tools=${FLYWHEEL_FUNCTIONS_HOST_TOOLS:-$repo_root/../shared/tools/functions-host}
functions_host_dir() {
  local tools=$functions_host_tools
  [[ -x "$tools/build.sh" && -f "$tools/host-src.tgz" ]] \
    || { echo "No Functions host sources at $tools (expected ../shared/tools/functions-host beside the repository)" >&2; return 1; }
  local hash out
  hash=$(sha256sum "$tools/host-src.tgz" | cut -c1-16)
  out="$repo_root/artifacts/functions-host/$hash"
  mkdir -p "$out"
  # CI=<anything> makes the WebJobs SDK's common.props switch on its hand-made SourceLink, whose file is never
  # written once the host's overrides turn UseSourceLink off later (CS0016 on obj/source_link.json). Decide it
  # up front, as an environment property that common.props then leaves alone.
  if ! env -u CI UseSourceLink=false "$tools/build.sh" "$out/build" >"$out/path.txt" 2>"$out/build.log"; then
    echo "Building the Functions host failed; the end of $out/build.log:" >&2
    tail -n 40 "$out/build.log" >&2
    return 1
  fi
  tail -n 1 "$out/path.txt"
}
