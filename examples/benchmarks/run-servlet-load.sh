#!/usr/bin/env bash
# The servlet load test under its old name: run-load.sh servlet (see there for settings).
exec "$(dirname "$0")/run-load.sh" servlet "$@"
