"""Stage 5: ranked passages → an answer in Vietnamese with citations to plan and clause."""
