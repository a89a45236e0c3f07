"""Accounts and roles: who may do what is decided here, on the server, for every view."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from ..errors import InputError
from ..workspace import Workspace
from .models import ADMIN, ARSIPARIS, PEJABAT, PERAN, STAF, Akun

NAMES = [p for p, _ in PERAN]
USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{2,64}$")

# what each role may do (issue 11): staf makes drafts, takes numbers and uploads forms;
# pejabat signs with their own key and voids numbers; arsiparis keeps the archive and the
# karantina; admin manages users and reads the audit log (and may void a number).
HAK: dict[str, set[str]] = {
    "konsep": {STAF},
    "unggah": {STAF, ARSIPARIS},
    "ttd": {PEJABAT},
    "batal": {PEJABAT, ADMIN},
    "karantina": {ARSIPARIS},
    "jejak": {ADMIN},
    "pengguna": {ADMIN},
}


def peran(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    try:
        return user.akun.peran
    except Akun.DoesNotExist:
        return ""


def boleh(user, hak: str) -> bool:
    return peran(user) in HAK[hak]


def perlu(hak: str) -> Callable:
    """View decorator: the role must have ``hak``; else 403 (anonymous: to the login page)."""
    def deco(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            from django.contrib.auth.views import redirect_to_login
            from django.core.exceptions import PermissionDenied

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not boleh(request.user, hak):
                raise PermissionDenied(hak)
            return view(request, *args, **kwargs)
        return inner
    return deco


def add_user(ws: Workspace, username: str, password: str, peran_: str, pejabat: str = "") -> Akun:
    """Create an account (the CLI and the demo call this)."""
    from django.contrib.auth import password_validation
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError
    from django.db import transaction

    if not USERNAME_RE.match(username):
        raise InputError(f"user name {username!r} is not allowed", field="NAME",
                         fix="use 2-64 letters, digits, '.', '_' or '-', e.g. siti.rahma")
    if peran_ not in NAMES:
        raise InputError(f"unknown role {peran_!r}", field="--peran", fix="use one of: " + ", ".join(NAMES))
    if peran_ == PEJABAT:
        if not pejabat:
            raise InputError("a pejabat account needs the key of their [pejabat] entry", field="--pejabat",
                             fix="add --pejabat KEY, one of: " + ", ".join(sorted(ws.config.pejabat)))
        ws.pejabat(pejabat, field="--pejabat")
    elif pejabat:
        raise InputError("only a pejabat account has a pejabat key", field="--pejabat",
                         fix="drop --pejabat, or use --peran pejabat")
    if User.objects.filter(username=username).exists():
        raise InputError(f"user {username!r} already exists", field="NAME", fix="choose another name")
    try:
        password_validation.validate_password(password)
    except ValidationError as exc:
        raise InputError("password refused: " + " ".join(exc.messages), field="password",
                         fix="use at least 8 characters") from None
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        return Akun.objects.create(user=user, peran=peran_, pejabat=pejabat)


def list_users() -> list[Akun]:
    return list(Akun.objects.select_related("user").order_by("user__username"))


def signers_of(ws: Workspace, user) -> list[str]:
    """The [tte.penandatangan.NAME] whose key signs as this pejabat's own [pejabat] key."""
    try:
        key = user.akun.pejabat
    except Akun.DoesNotExist:
        return []
    if not key:
        return []
    return [name for name, p in ws.config.tte.penandatangan.items() if p.pejabat == key]
