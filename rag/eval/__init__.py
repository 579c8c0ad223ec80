"""The evaluation harness: fixed question sets in, per-question evidence and metrics out."""
