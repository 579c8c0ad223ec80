"""What the plans ask of an audience (schools by level, families), each line cited: ``checklist.py``."""
