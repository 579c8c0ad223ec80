"""Stage 3: clauses → passages → dense (FAISS) and lexical (BM25) indexes, persisted in index/."""
