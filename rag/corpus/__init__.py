"""Stage 1: the plan files and their manifest, read and checked."""
from rag.corpus.manifest import ManifestError, load_manifest
from rag.corpus.reader import PlanFileError, read_plan_text

__all__ = ["ManifestError", "PlanFileError", "load_manifest", "read_plan_text"]
