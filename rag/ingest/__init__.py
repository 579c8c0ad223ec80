"""Adding a plan from a file: DOCX, PDF (text layer or scanned) or plain text.

file → checked (validate) → plain plan text (docx / pdf / ocr / text) → the structure parser
→ parse report (report) and detected metadata (detect) → corpus folder and index (add).
"""
