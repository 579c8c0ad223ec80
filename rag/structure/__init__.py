"""Stage 2: plan text → clause tree (parts, items, points, bullets, appendix rows)."""
from rag.structure.loader import load_corpus
from rag.structure.parser import PARSER_VERSION, parse_plan

__all__ = ["PARSER_VERSION", "load_corpus", "parse_plan"]
