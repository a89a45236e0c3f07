"""Demo accounts for `docgen demo DIR`: one per role, with printed passwords."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

from ..errors import DocgenError
from ..workspace import Workspace

DEMO_USERS = [("staf", "staf", ""), ("kepala", "pejabat", "kepala"), ("arsiparis", "arsiparis", ""),
              ("admin", "admin", "")]


def make_demo_users(ws: Workspace) -> list[tuple[str, str, str]]:
    """(name, role, password) of the demo accounts, made in the workspace's web database.

    In a process of its own: Django is configured once per process, for one workspace,
    and the demo's process may go on to serve (or test) another."""
    code = "import sys; from docgen.web.demo import _make; _make(sys.argv[1])"
    r = subprocess.run([sys.executable, "-c", code, str(ws.root)], capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0:
        raise DocgenError(f"the demo accounts could not be made: {r.stderr.strip()[-500:]}",
                          file=ws.root, fix="run `docgen user add NAME --peran ROLE` yourself")
    return [tuple(u) for u in json.loads(r.stdout.strip().splitlines()[-1])]


def _make(root: str) -> None:
    from .. import workspace
    from . import setup

    ws = workspace.load(Path(root))
    setup(ws)
    from . import akun

    out = []
    for name, peran, pejabat in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        akun.add_user(ws, name, password, peran, pejabat)
        out.append((name, peran, password))
    print(json.dumps(out))
