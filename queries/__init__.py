"""Cypher library (.cypher files) and the graph analytics that run on it."""
