"""Stage 4: question → plan scope → hybrid (dense + lexical) ranked passages."""
