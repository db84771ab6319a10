#!/usr/bin/env bash
# Installs the dashboard's npm packages (esbuild, playwright-core, typescript) into
# web/node_modules exactly as web/package-lock.json pins them. Does nothing when they are already
# installed from the current lock file, so the build can call it every time.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm > /dev/null; then
  echo "install-web-deps: npm is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
echo "install-web-deps: installing the dashboard's npm packages"
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
