"""The words an entry is indexed under (both FTS tables): shared by the worker stages,
which compute them in parallel, and the catalog, which recomputes them on reindex."""

from __future__ import annotations

from . import stem


def index_text(title: str, letter_no: str, body: str) -> str:
    return f"{title}\n{letter_no}\n{body}"


def index_terms(title: str, letter_no: str, body: str) -> tuple[str, str]:
    """(stems in order, distinct words) of an entry: what the two FTS tables get."""
    toks = stem.tokens(index_text(title, letter_no, body))
    return " ".join([stem.stem(t) for t in toks]), " ".join(dict.fromkeys(toks))
