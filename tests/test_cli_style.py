"""One style across commands: every option has a help line, every command an example,
--tahun (alias --year) and --dari/--sampai wherever a year or a date range is asked."""

from __future__ import annotations

import click
import pytest

from docgen.cli import cli


def _walk(cmd: click.Command, path: tuple[str, ...] = ("docgen",)):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(cli))
IDS = [" ".join(p) for p, _ in COMMANDS]


def test_the_tree_is_all_there():
    assert {"docgen make", "docgen register list", "docgen archive search", "docgen tte demo-key",
            "docgen verify", "docgen init"} <= set(IDS)


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=IDS)
def test_every_option_has_a_help_line(path, cmd):
    ctx = click.Context(cmd, info_name=path[-1])
    missing = [p.opts[0] for p in cmd.get_params(ctx)
               if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert missing == [], f"{' '.join(path)}: options without help: {missing}"


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=IDS)
def test_every_command_has_an_example(path, cmd):
    ctx = click.Context(cmd, info_name=" ".join(path))
    text = cmd.get_help(ctx)
    assert "Example" in text, f"{' '.join(path)} has no example in its help"
    lines = [ln.strip() for ln in text.splitlines()]
    me = " ".join(path)
    assert any(ln.startswith(me + " ") or ln == me or (len(path) == 1 and ln.startswith("docgen "))
               or (isinstance(cmd, click.Group) and ln.startswith(me)) for ln in lines), \
        f"{me}: the example does not show the command itself"


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=IDS)
def test_years_and_date_ranges_are_spelt_alike(path, cmd):
    opts = {o for p in cmd.params if isinstance(p, click.Option) for o in p.opts}
    if "--year" in opts or "--tahun" in opts:
        assert {"--tahun", "--year"} <= opts, f"{' '.join(path)}: --tahun with --year as alias"
    for english, ours in (("--from", "--dari"), ("--to", "--sampai"), ("--since", "--dari"),
                          ("--until", "--sampai")):
        if english in opts:
            assert ours in opts, f"{' '.join(path)}: dates as --dari/--sampai"
    assert not opts & {"--date-from", "--date-to", "--start", "--end"}


def test_year_alias_and_date_range_work(ws, cli):
    w = ("-W", str(ws.root))
    for tanggal in ("2026-10-01", "15-10-2026", "3 November 2026"):
        code, out, err = cli(*w, "register", "take", "-k", "000.5.3.1", "-p", "Uji",
                             "--tanggal", tanggal)
        assert code == 0, err
    code, out, _ = cli(*w, "register", "list", "--year", "2026", "--dari", "2/10/2026",
                       "--sampai", "31 Oktober 2026")
    assert code == 0
    assert "15 Oktober 2026" in out and "1 Oktober 2026" not in out and "3 November 2026" not in out
    assert "1 number(s)" in out
    code, out, err = cli(*w, "register", "list", "--dari", "31-02-2026")
    assert code == 2 and "31 Februari 2026 does not exist" in err and "--dari" in err
    code, out, err = cli(*w, "archive", "search", "laporan", "--tahun", "2026", "--from", "2026-01-01",
                         "--sampai", "31-12-2026")
    assert code in (0, 1) and "no such option" not in err.lower()


def test_every_exit_code_is_listed_in_the_readme():
    import re
    from pathlib import Path

    import docgen.convert  # noqa: F401  (defines ConversionError)
    from docgen.errors import DocgenError
    from docgen.sign import verify as v

    def subclasses(c):
        for s in c.__subclasses__():
            yield s
            yield from subclasses(s)

    codes = {c.exit_code for c in [DocgenError, *subclasses(DocgenError)]}
    codes |= {v.OK, v.NO_SIGNATURE, v.UNTRUSTED, v.BROKEN, 2, 70, 130}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("**Exit codes.**"):readme.index("## Windows")]
    listed = {int(n) for row in re.findall(r"^\| ([\d, ]+) \|", table, re.M) for n in row.split(",")}
    assert codes <= listed, f"exit codes missing from the README: {sorted(codes - listed)}"


def test_shell_completion_as_the_readme_says():
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    exe = shutil.which("docgen", path=str(Path(sys.executable).parent)) or "docgen"
    env = {**os.environ, "_DOCGEN_COMPLETE": "bash_source"}
    script = subprocess.run([exe], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "_docgen_completion()" in script and "complete -o nosort -F _docgen_completion docgen" in script
    env = {**os.environ, "_DOCGEN_COMPLETE": "bash_complete", "COMP_WORDS": "docgen archive search --da",
           "COMP_CWORD": "3"}
    got = subprocess.run([exe], env=env, capture_output=True, text=True, timeout=60).stdout
    assert got.split() == ["plain,--dari"]
