"""One composer per kind of question: each takes the ``Context`` (the analysis, the ranked
clauses, the citations) and returns the answer's lines, an ``Abstention``, or None when it
has nothing to say (the next composer tries)."""
