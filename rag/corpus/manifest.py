"""Reads ``corpus/plans.toml``: one ``[[plan]]`` entry per plan."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from rag.models import PlanInfo

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REQUIRED = ("id", "file", "title", "short_name")


class ManifestError(ValueError):
    """The manifest itself cannot be read (not one plan: the whole file)."""


def load_manifest(path: Path) -> list[PlanInfo]:
    """Parse the manifest. Raises ManifestError naming the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: manifest not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from exc
    entries = data.get("plan")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: no [[plan]] entries")
    plans: list[PlanInfo] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        missing = [k for k in _REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise ManifestError(f"{path}: plan entry {i} lacks {', '.join(missing)}")
        pid = str(entry["id"]).strip()
        if not _ID_RE.match(pid):
            raise ManifestError(f"{path}: plan entry {i}: id {pid!r} must be lower-case letters, digits and '-'")
        if pid in seen:
            raise ManifestError(f"{path}: plan id {pid!r} appears twice")
        seen.add(pid)
        known = set(PlanInfo.__dataclass_fields__)
        values = {k: v for k, v in entry.items() if k in known}
        values["aliases"] = tuple(entry.get("aliases", ()))
        plans.append(PlanInfo(**values))
    return plans
