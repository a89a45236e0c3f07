"""Build hook: ship the top-level templates/ and examples/ inside the wheel.

They live at the top of the repository so clerks and developers find them; an
installed docgen finds its copies in docgen/_templates and docgen/_examples
(see docgen/resources.py). Editable installs read the top-level folders directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        for src, dst in (("templates", "_templates"), ("examples", "_examples")):
            target = Path(self.build_lib) / "docgen" / dst
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(HERE / src, target, ignore=shutil.ignore_patterns("~$*", "__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
