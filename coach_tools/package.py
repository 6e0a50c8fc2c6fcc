"""``spasm-coach package``: an ASK CLI project (ask-resources.json and skill-package/) ready for ``ask deploy``."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from coach_tools.model_lint import model_paths
from skill.content import ContentError
from skill.content.locales import DEFAULT_LOCALE, filled, read_locale
from skill.content.phrasing import shown, spelled
from skill.content.reader import Reader
from skill.edge.alexa_endpoint import PATH as ALEXA_PATH
from skill.foundations.alexa_platform import TIMERS_PERMISSION

CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")
# The store's icons (content/icons/, drawn by coach_tools.icons): a name in skill.json, and the side in pixels.
ICONS = {"smallIconUri": ("small.png", 108), "largeIconUri": ("large.png", 512)}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The pages the service itself serves (skill.edge.app), so one host is enough for a publishable package.
POLICY_PATHS = {"privacyPolicyUrl": "/privacy", "termsOfUseUrl": "/terms"}
LISTING_KEYS = {"name", "summary", "description", "example_phrases", "keywords", "category",
                "testing_instructions", "source"}


def load_listing(content_dir: Path, locale: str = DEFAULT_LOCALE) -> dict:
    """The store listing for ``locale``: listing.yaml with the locale's own listing fields laid over it, its
    words for care and its emergency number filled in (in digits: a listing is read), spelled its way."""
    path = content_dir / "listing.yaml"
    listing = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(listing, dict):
        raise ContentError([f"{path.name}: must be a mapping"])
    problems: list[str] = []
    local = read_locale(content_dir, locale, problems)
    if local is None:
        raise ContentError(problems)
    values = {name: shown(value) for name, value in local["local"].items()}
    listing = filled({**listing, **local["listing"]}, values, Reader(f"locales/{locale}.yaml", problems), path.name)
    listing = {key: spelled(value, local["spelling"]) if isinstance(value, str) and key != "category" else value
               for key, value in listing.items()}
    problems += [f"{path.name}: {k}: missing" for k in sorted(LISTING_KEYS - set(listing))]
    problems += [f"{path.name}: {k}: unknown key" for k in sorted(set(listing) - LISTING_KEYS)]
    if "description" in listing and "not a substitute for professional medical advice" not in listing["description"]:
        problems.append(f"{path.name}: description: must carry the not-medical-advice disclaimer")
    if len(listing.get("example_phrases") or []) != 3:
        problems.append(f"{path.name}: example_phrases: the console takes exactly three")
    if problems:
        raise ContentError(problems)
    return listing


def check_icon(path: Path, side: int) -> None:
    """Refuse what the store would: a missing icon, one that is not a PNG, or one of another size."""
    try:
        head = path.read_bytes()[:24]
    except OSError:
        raise ValueError(f"{path} is missing: a publishable package needs a {side}×{side} PNG icon there"
                         " (python -m coach_tools.icons draws the project's own)") from None
    if not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    if (width, height) != (side, side):
        raise ValueError(f"{path} must be {side}×{side} pixels, not {width}×{height}")


def policy_urls(endpoint: str, privacy_url: str | None, terms_url: str | None) -> dict[str, str]:
    """The privacy policy and terms of use links: given ones, else the pages the service serves on the endpoint's
    host. Each must be https, as the store requires."""
    host = urlsplit(endpoint).netloc
    given = {"privacyPolicyUrl": privacy_url, "termsOfUseUrl": terms_url}
    urls = {name: given[name] or f"https://{host}{path}" for name, path in POLICY_PATHS.items()}
    for url in urls.values():
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"the privacy policy and terms of use must be https:// URLs, not {url!r}")
    return urls


def manifest(endpoint: str, certificate: str, listings: dict[str, dict], policies: dict[str, str]) -> dict:
    """skill.json for ``listings`` (the store listing by locale): one entry per locale, sold in their countries,
    with the icons ``write_package`` puts in assets/images and the ``policies`` links."""
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"the endpoint must be an https:// URL, not {endpoint!r}")
    if parts.port not in (None, 443):
        raise ValueError("Alexa only calls endpoints on port 443")
    if parts.path != ALEXA_PATH or parts.query or parts.fragment:
        raise ValueError(f"the endpoint is the service's Alexa route, https://coach.example.com{ALEXA_PATH} with your"
                         f" host, not {endpoint!r}")
    if certificate not in CERTIFICATE_TYPES:
        raise ValueError(f"the certificate type is one of {', '.join(CERTIFICATE_TYPES)}")
    where = {"uri": endpoint, "sslCertificateType": certificate}
    publishing = {locale: {"name": listing["name"], "summary": listing["summary"],
                           "description": listing["description"], "examplePhrases": listing["example_phrases"],
                           "keywords": listing["keywords"],
                           **{uri: f"file://assets/images/{name}" for uri, (name, _) in ICONS.items()}}
                  for locale, listing in listings.items()}
    locales = list(listings)
    first = listings[DEFAULT_LOCALE] if DEFAULT_LOCALE in listings else next(iter(listings.values()))
    return {"manifest": {
        "manifestVersion": "1.0",
        "publishingInformation": {
            "locales": publishing,
            "isAvailableWorldwide": False,
            "distributionCountries": sorted({locale.split("-")[1] for locale in locales}),
            "category": first["category"],
            "testingInstructions": first["testing_instructions"],
        },
        # Name-free requests ("Alexa, how do I treat a back spasm") are answered honestly: see CanFulfillHandler.
        "apis": {"custom": {"endpoint": where, "interfaces": [{"type": "CAN_FULFILL_INTENT_REQUEST"}]}},
        "permissions": [{"name": TIMERS_PERMISSION}],
        # Disabling the skill must reach us so the user's row can be deleted.
        "events": {"endpoint": where, "subscriptions": [{"eventName": "SKILL_DISABLED"}]},
        "privacyAndCompliance": {
            "allowsPurchases": False, "usesPersonalInfo": False, "isChildDirected": False,
            "isExportCompliant": True, "containsAds": False, "usesHealthInfo": False,
            "locales": {locale: dict(policies) for locale in locales},
        },
    }}


def write_package(out: Path, endpoint: str, certificate: str, content_dir: Path, model_dir: Path,
                  privacy_url: str | None = None, terms_url: str | None = None) -> list[Path]:
    models = model_paths(model_dir)
    locales = [path.stem for path in models]
    listings = {locale: load_listing(content_dir, locale) for locale in locales}
    skill = manifest(endpoint, certificate, listings, policy_urls(endpoint, privacy_url, terms_url))
    for name, side in ICONS.values():
        check_icon(content_dir / "icons" / name, side)
    package = out / "skill-package"
    written = []
    for name, _ in ICONS.values():
        target = package / "assets" / "images" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content_dir / "icons" / name, target)
        written.append(target)
    for path in models:
        target = package / "interactionModels" / "custom" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)
    skill_json = package / "skill.json"
    skill_json.write_text(json.dumps(skill, indent=2) + "\n", encoding="utf-8")
    resources = out / "ask-resources.json"
    resources.write_text(json.dumps({"askcliResourcesVersion": "2020-03-31", "profiles": {
        "default": {"skillMetadata": {"src": "./skill-package"}}}}, indent=2) + "\n", encoding="utf-8")
    return [resources, skill_json, *written]
