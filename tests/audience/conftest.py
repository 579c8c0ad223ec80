from tests.schedule.conftest import added_plans  # noqa: F401  (the plans added from DOCX, PDF, text)
