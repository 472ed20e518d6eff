"""One module per page (datasette's rule): each owns its blueprint, routes and data."""
