"""One workspace served by the web app per test process (Django is configured once).

It has a demo CA and the head's signing key ([tte.penandatangan.kepala]), and one
account per role with known passwords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen import workspace

PASSWORDS = {"staf": "staf-rahasia-1", "kepala": "kepala-rahasia-1", "arsiparis": "arsip-rahasia-1",
             "admin": "admin-rahasia-1", "staf2": "staf-rahasia-2", "staf3": "staf-rahasia-3"}


@dataclass
class WebEnv:
    ws: workspace.Workspace
    passphrase: str

    @property
    def root(self) -> Path:
        return self.ws.root


_ENV: WebEnv | None = None


def make_env(root: Path) -> WebEnv:
    from docgen import web
    from docgen.sign import demo_keys

    ws = workspace.init(root)
    ca, p12, passphrase = demo_keys.make_demo_pki(ws.root / "kunci", ws.config.pejabat["kepala"])
    text = ws.config_file.read_text(encoding="utf-8")
    text = re.sub(r"^trust_roots = \[\].*$", 'trust_roots = ["kunci/demo-ca.pem"]', text, count=1, flags=re.M)
    # the passphrase comes from the browser; this variable is never set
    text += ('\n[tte.penandatangan.kepala]\npejabat = "kepala"\np12 = "kunci/penandatangan.p12"\n'
             'passphrase_env = "DOCGEN_WEB_TEST_NOT_SET"\n')
    ws.config_file.write_text(text, encoding="utf-8")
    ws = workspace.load(ws.root)
    web.setup(ws)
    from docgen.web import akun

    akun.add_user(ws, "staf", PASSWORDS["staf"], "staf")
    akun.add_user(ws, "staf2", PASSWORDS["staf2"], "staf")
    akun.add_user(ws, "staf3", PASSWORDS["staf3"], "staf")  # the throttle test locks it
    akun.add_user(ws, "kepala", PASSWORDS["kepala"], "pejabat", "kepala")
    akun.add_user(ws, "arsiparis", PASSWORDS["arsiparis"], "arsiparis")
    akun.add_user(ws, "admin", PASSWORDS["admin"], "admin")
    return WebEnv(ws=ws, passphrase=passphrase)


@pytest.fixture(scope="session")
def web_env(tmp_path_factory: pytest.TempPathFactory) -> WebEnv:
    global _ENV
    if _ENV is None:
        _ENV = make_env(tmp_path_factory.mktemp("web") / "ws")
    return _ENV


def login(client, name: str) -> None:
    r = client.post("/masuk/", {"username": name, "password": PASSWORDS[name]})
    assert r.status_code == 302, r.content.decode()[:500]
