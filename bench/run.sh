#!/usr/bin/env bash
# One command for the whole benchmark: install the peers if missing, then run.
# Arguments go to bench/run.py (--quick, --scenario NAME, --tools a,b, --repeat N).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install_peers.sh" >/dev/null
exec "${PYTHON:-python3}" "$here/run.py" "$@"
