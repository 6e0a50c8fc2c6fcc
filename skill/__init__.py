"""Spasm Coach: a hands-free Alexa coach for back muscle spasms."""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    __version__ = version("spasm-coach")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

# Content and models live beside the package, so they are found the same way from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"
MODEL_DIR = PROJECT_ROOT / "interaction_model"
