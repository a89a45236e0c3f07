"""A workspace: one office's ``docgen.toml`` plus its templates, data and archive.

Commands find it from the current folder upward, or from ``--workspace`` /
``DOCGEN_WORKSPACE``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import resources
from .config import Config, Pejabat
from .datafile import load_toml, validate
from .errors import ConfigError

CONFIG_NAME = "docgen.toml"
ENV_VAR = "DOCGEN_WORKSPACE"


@dataclass
class Workspace:
    root: Path
    config: Config

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    def path(self, rel: str | Path) -> Path:
        """A path from the config, resolved against the workspace root."""
        p = Path(rel)
        return p if p.is_absolute() else self.root / p

    # --- well-known places -------------------------------------------------
    @property
    def templates_dir(self) -> Path:
        return self.path(self.config.paths.templates)

    @property
    def output_dir(self) -> Path:
        return self.path(self.config.paths.output)

    @property
    def archive_dir(self) -> Path:
        return self.path(self.config.paths.archive)

    @property
    def inbox_dir(self) -> Path:
        return self.path(self.config.paths.inbox)

    @property
    def quarantine_dir(self) -> Path:
        return self.path(self.config.paths.quarantine)

    @property
    def register_db(self) -> Path:
        return self.path(self.config.paths.register_db)

    @property
    def data_dir(self) -> Path:
        return self.path(self.config.paths.data)

    @cached_property
    def logo(self) -> Path | None:
        if not self.config.kop.logo:
            return None
        p = self.path(self.config.kop.logo)
        if not p.is_file():
            raise ConfigError(
                f"logo file {p} not found",
                file=self.config_file,
                field="kop.logo",
                fix="put the lambang daerah image there, or set kop.logo = \"\"",
            )
        return p

    def template(self, name: str) -> Path:
        """The workspace's (editable) copy of a template, else the shipped one."""
        own = self.templates_dir / name
        if own.is_file():
            return own
        shipped = resources.templates_dir() / name
        if shipped.is_file():
            return shipped
        raise ConfigError(
            f"template {name} not found in {self.templates_dir} or the shipped templates",
            file=self.config_file,
            field="paths.templates",
            fix=f"copy {name} into {self.templates_dir}",
        )

    def pejabat(self, key: str, *, file: str | Path | None = None, field: str | None = None) -> Pejabat:
        """Look up an official by key; a clear error names the keys that exist."""
        try:
            return self.config.pejabat[key]
        except KeyError:
            known = ", ".join(sorted(self.config.pejabat)) or "(none)"
            raise ConfigError(
                f"unknown pejabat {key!r}; known: {known}",
                file=file or self.config_file,
                field=field,
                fix=f"use one of the keys of [pejabat.*] in {self.config_file}",
            ) from None


def load(root: str | Path) -> Workspace:
    root = Path(root).resolve()
    cfg_file = root / CONFIG_NAME
    if not cfg_file.is_file():
        raise ConfigError(
            "no docgen.toml here", file=root, fix="run `docgen init DIR` or pass --workspace"
        )
    config = validate(Config, load_toml(cfg_file), cfg_file, error=ConfigError)
    return Workspace(root=root, config=config)


def find(start: str | Path | None = None, explicit: str | Path | None = None) -> Workspace:
    """Find the workspace: explicit path, then $DOCGEN_WORKSPACE, then upward from start."""
    if explicit:
        return load(explicit)
    env = os.environ.get(ENV_VAR)
    if env:
        return load(env)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return load(folder)
    raise ConfigError(
        f"no {CONFIG_NAME} in {here} or any folder above it",
        fix="run `docgen init DIR` first, or pass --workspace DIR",
    )


def init(root: str | Path, *, force: bool = False,
         names: dict[str, str | list[str]] | None = None) -> Workspace:
    """Create a workspace with an example config, template copies, examples and archive/.

    ``names`` (see office.NAMES: pemerintah, instansi, alamat, kepala_nama, ...) are
    the office's own, written over the example office's; checked before anything is made."""
    from . import office

    root = Path(root).resolve()
    cfg = root / CONFIG_NAME
    if cfg.exists() and not force:
        raise ConfigError(
            "a workspace already exists here", file=cfg, fix="use another folder, or --force"
        )
    text = office.example_text()
    if names:
        text = office.with_names(text, names, cfg)
    root.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text, encoding="utf-8")
    shutil.copyfile(resources.data_file("logo-contoh.png"), root / "logo.png")
    _copy_tree(resources.templates_dir(), root / "templates", force=force)
    _copy_tree(resources.examples_dir(), root / "contoh", force=force)
    ws = load(root)
    for d in (ws.archive_dir, ws.inbox_dir, ws.quarantine_dir, ws.output_dir, ws.data_dir):
        d.mkdir(parents=True, exist_ok=True)
    return ws


def _copy_tree(src: Path, dst: Path, *, force: bool) -> None:
    if not src.is_dir():
        return
    for f in src.rglob("*"):
        if f.is_dir() or "__pycache__" in f.parts or f.name.startswith("~$"):
            continue
        target = dst / f.relative_to(src)
        if target.exists() and not force:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
