"""rag/lexicon: the index in its docstring matches the files, and each file parses and opens
with a note on how to extend it."""
import re

import rag.lexicon as lexicon


def _files():
    return sorted(lexicon.LEXICON_DIR.glob("*.toml"))


def test_the_docstring_lists_exactly_the_files_there_are():
    listed = set(re.findall(r"``(\w+)\.toml``", lexicon.__doc__))
    assert listed == {p.stem for p in _files()}


def test_every_file_parses_and_opens_with_a_note():
    for path in _files():
        assert lexicon.load(path.stem) is not None
        assert path.read_text(encoding="utf-8").lstrip().startswith("#"), path.name


def test_the_analyzer_keeps_the_listed_stopwords():
    from rag.index.analyzer import analyze, stopwords

    keep = lexicon.load("stopwords")["keep"]["words"]
    assert not set(keep) & stopwords()
    assert "@trẻ" in analyze("trẻ em")
