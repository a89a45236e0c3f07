"""Which filesystem a folder is on: network shares get polling and no SQLite WAL.

Its own module so the pipeline (catalog journal mode) and the watcher (polling) both use it
without importing each other.
"""

from __future__ import annotations

import sys
from pathlib import Path

NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p",
                        "fuse.sshfs", "fuse.rclone", "davfs", "ncpfs", "glusterfs", "ceph"})


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")


def mount_fs_type(path: Path, mounts_text: str) -> str:
    """The filesystem type of the longest mount point containing ``path`` (/proc/mounts)."""
    best, fstype = "", ""
    p = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = _unescape(parts[1])
        inside = p == mnt or p.startswith(mnt.rstrip("/") + "/")
        if inside and len(mnt) >= len(best):
            best, fstype = mnt, parts[2]
    return fstype


def is_network_path(path: Path) -> bool:
    """True when ``path`` is on a network share (inotify/WAL cannot be trusted there)."""
    path = Path(path).resolve()
    if sys.platform == "win32":
        s = str(path)
        if s.startswith("\\\\"):  # UNC path
            return True
        try:
            import ctypes

            DRIVE_REMOTE = 4
            return ctypes.windll.kernel32.GetDriveTypeW(s[:3]) == DRIVE_REMOTE  # type: ignore[attr-defined]
        except (OSError, AttributeError):
            return False
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # macOS/BSD: no /proc; use --polling for shares
    return mount_fs_type(path, text).lower() in NETWORK_FS
