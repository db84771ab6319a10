#!/usr/bin/env bash
# Notifications per incident (issue 15): runs the four operator scenarios of
# notification_scenarios.py against the vitals binary given as the first argument, with real
# Alertmanagers beside it unless --no-alertmanager. Example (about 20 minutes; 15 without them):
#   scripts/bench/notification_scenarios.sh build/vitals --label before --out /tmp/notif-before
# Options: --scenarios abcd, --flap-minutes 10, --flap-phase 25, --no-alertmanager, --settle 30,
# --time-scale 1 (shorter phases while developing; recorded figures use the defaults).
set -euo pipefail
if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PATH/TO/vitals [--label NAME] [--out DIR] [--scenarios abcd] [--flap-minutes N]" >&2
  exit 2
fi
exec python3 "$(dirname "$0")/notification_scenarios.py" "$@"
