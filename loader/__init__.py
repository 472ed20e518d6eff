"""Turns sources (OpenDigger files or service, landscape CSVs, GitHub metadata) into graph writes."""
