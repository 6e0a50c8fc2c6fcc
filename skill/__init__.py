"""Spasm Coach: a hands-free Alexa coach for back muscle spasms."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spasm-coach")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
