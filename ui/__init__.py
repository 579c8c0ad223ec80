"""The Gradio chat page (stage 6): ask, read the cited clauses, look up an agency's duties."""
