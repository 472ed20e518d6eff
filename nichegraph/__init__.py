"""nichegraph: a graph-database-backed explorer of open source ecosystems."""

__version__ = "0.1.0"
