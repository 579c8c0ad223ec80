"""Accounts, log-in sessions, feedback and history in one database: SQLite (WAL) in
``Settings.data_dir`` by default, PostgreSQL when ``Settings.database_url`` is set."""
from rag.storage.database import Database, StorageError, open_database
from rag.storage.records import AccountError, Feedback, HistoryEntry, LoginOutcome, Rating, Role, User

__all__ = ["AccountError", "Database", "Feedback", "HistoryEntry", "LoginOutcome", "Rating", "Role", "StorageError",
           "User", "open_database"]
