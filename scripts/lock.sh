#!/usr/bin/env bash
# Refresh requirements.lock from the tested venv: run after changing pyproject.toml's
# dependencies, once `.venv/bin/python -m pytest` passes with the new versions.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q -U -e '.[dev]'
{
  echo "# The versions docgen was tested with (Python $(.venv/bin/python -c 'import sys; print(sys.version.split()[0])'), dev tools included)."
  echo "# scripts/bootstrap.sh installs with: pip install -c requirements.lock -e '.[dev]'"
  echo "# Refresh with scripts/lock.sh after changing pyproject.toml, once the tests pass."
  .venv/bin/python -m pip freeze --exclude-editable
} > requirements.lock
echo "requirements.lock: $(grep -c '==' requirements.lock) packages pinned"
