"""Documents the product writes (DOCX, python-docx), one module per document, in the look of a Vietnamese
administrative document (``style.py``):

| module | document |
|---|---|
| ``workplan.py`` | an agency's work plan: its duties in each chosen plan, lead first, then partner, with an empty «Kết quả thực hiện» column |
| ``checklist.py`` | a checklist by audience (schools by level, families), every line cited |
| ``answer.py`` | an answer to keep: the question, the answer and the cited clauses in full |
"""
