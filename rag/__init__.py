"""Question answering over Vietnamese plans for protecting children online."""
__version__ = "0.1.0"
