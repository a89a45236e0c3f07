"""Demo accounts for `docgen demo DIR`: one per role, with printed passwords."""

from __future__ import annotations

import secrets

from ..workspace import Workspace

DEMO_USERS = [("staf", "staf", ""), ("kepala", "pejabat", "kepala"), ("arsiparis", "arsiparis", ""),
              ("admin", "admin", "")]


def make_demo_users(ws: Workspace) -> list[tuple[str, str, str]]:
    """(name, role, password) of the demo accounts made in the workspace."""
    from . import setup

    setup(ws)
    from . import akun
    out = []
    for name, peran, pejabat in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        akun.add_user(ws, name, password, peran, pejabat)
        out.append((name, peran, password))
    return out
