"""The Flask explorer: pages and their JSON twins."""
