"""Where the skill's data lives: the content and the interaction models, shipped inside the package.

``content/`` and ``interaction_model/`` stay at the top of the source tree, where people edit them; setuptools
maps them onto ``skill.bundled.content`` and ``skill.bundled.interaction_model`` (``pyproject.toml``), so a wheel
carries them and an editable install reads them in place. Nothing here depends on the working directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def content_dir() -> Path:
    """The content shipped with the package (``SPASM_COACH_CONTENT_DIR`` overrides it, see config)."""
    return Path(str(files("skill.bundled.content")))


def sources_file() -> Path:
    """``docs/sources.md``, the entries every content ``source`` names: shipped, so ``spasm-coach check`` works
    anywhere."""
    return Path(str(files("skill.bundled.docs"))) / "sources.md"


def model_dir() -> Path:
    """The interaction models shipped with the package, one ``<locale>.json`` each."""
    return Path(str(files("skill.bundled.interaction_model")))


def policy_text(name: str) -> str:
    """``docs/privacy-policy.md`` or ``docs/terms-of-use.md``, the pages the service serves for the store listing."""
    return (Path(str(files("skill.bundled.docs"))) / f"{name}.md").read_text(encoding="utf-8")
